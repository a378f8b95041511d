"""`sweep FILE --out DIR` runs a sweep into a resumable store; `analyze DIR` turns the store into tables and
figures. Both print every problem with its line and exit with code 2 on bad input."""

from __future__ import annotations

import json
import os
import signal
import sys

from sim.cli.options import add_root_option, emit


def add_parser(sub) -> None:
    p = sub.add_parser(
        "sweep",
        help="run a sweep file (many seeded runs over a design) into a resumable result store",
        description="Run every run of a sweep file; each finished run is written to DIR/results.sqlite at once.",
    )
    p.add_argument(
        "file", metavar="FILE", nargs="?", help="a sweep file, e.g. scenarios/sweeps/russia_vs_turkey.yaml"
    )
    p.add_argument("--out", metavar="DIR", help="directory of the result store (created if missing)")
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help=f"local worker processes (default: the {_cores()} cores this process may use; 1 runs in-process)",
    )
    p.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://127.0.0.1:8786")
    p.add_argument("--resume", action="store_true", help="finish a sweep in DIR: run only the missing runs")
    p.add_argument(
        "--retry-failed", action="store_true", help="with --resume: also run the failed runs again"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="with --resume: if the design changed, set the stored runs aside and start the store anew",
    )
    add_root_option(p)
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--schema", action="store_true", help="print the JSON Schema of sweep files and exit")
    p.add_argument("--schema-out", metavar="PATH", help="with --schema: write it to PATH")
    p.set_defaults(handler=sweep)
    p = sub.add_parser(
        "analyze", help="outcome shares, heatmaps and sensitivity indices from a sweep's store"
    )
    p.add_argument("dir", metavar="DIR", help="the --out directory of a sweep")
    p.add_argument(
        "--report-dir", metavar="DIR", help="where to write tables and figures (default DIR/analysis)"
    )
    p.set_defaults(handler=analyze)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def schema_text() -> str:
    from sim.sweep.spec import json_schema

    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


def _usage(message: str, suggestion: str):
    from sim.scenario.errors import Problem, ScenarioError

    return ScenarioError([Problem("command line", None, None, "", message, suggestion=suggestion)])


def sweep(args) -> int:
    if args.schema:
        emit(schema_text(), args.schema_out)
        return 0
    if not args.file or not args.out:
        raise _usage(
            "`sweep` needs a sweep FILE and --out DIR",
            "run.py sweep scenarios/sweeps/russia_vs_turkey.yaml --out runs/rvt",
        )
    workers = _cores() if args.workers is None else args.workers
    if workers < 1:
        raise _usage(f"--workers {workers}: need at least 1", "--workers 2")
    if args.scheduler and args.workers is not None:
        raise _usage("--workers and --scheduler exclude each other", "the cluster's workers run the sweep")
    if (args.retry_failed or args.force) and not args.resume:
        raise _usage("--retry-failed and --force only make sense with --resume", "add --resume")
    from sim.sweep.driver import run_sweep
    from sim.sweep.load import load_sweep

    # `kill` (a batch system's time limit, a closing terminal) stops the sweep like Ctrl-C: runs under way
    # are recorded and the workers shut down, rather than left running.
    signal.signal(signal.SIGTERM, _interrupt)

    from sim.cli.scenario import runnable

    loaded = load_sweep(args.file, args.allow_roots)
    runnable(loaded.scenario)  # what the model would refuse, refused before the first of many runs
    session = run_sweep(
        loaded,
        args.out,
        workers=workers,
        scheduler=args.scheduler,
        resume=args.resume,
        force=args.force,
        retry_failed=args.retry_failed,
        progress=not args.no_progress,
    )
    print(
        f"{args.out}: {session.stored} of {session.total} runs stored, {session.failed_stored} of them failed"
        f" ({session.ran} run this session)"
    )
    if session.interrupted:
        print(
            f"interrupted; finish with: run.py sweep {args.file} --out {args.out} --resume", file=sys.stderr
        )
        return 130
    if session.failed_stored:
        print(
            f"some runs failed; their errors are in the store's `error` column (run.py analyze {args.out})",
            file=sys.stderr,
        )
    print(f"next: run.py analyze {args.out}")
    return 0


def analyze(args) -> int:
    from sim.sweep.analysis import analyze_store

    report = analyze_store(args.dir, args.report_dir)
    print(report.text)
    return 0
