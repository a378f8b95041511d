"""From a sweep's store to answers: outcome shares with 95% Wilson intervals by parameter value, heatmaps for
two-parameter grids, Sobol or Morris sensitivity indices for those designs. CSV tables and PNG figures
(written atomically) and a printed summary.

Categorical metrics are text columns (e.g. `outcome`) and 0/1 columns (booleans such as
`agreement_signed`); every other metric is numeric and summarised by its mean.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.atomic import write_bytes, write_text
from sim.scenario.errors import Problem, ScenarioError
from sim.sweep.designs import Points, unit_problem, unit_sample
from sim.sweep.spec import SweepSpec
from sim.sweep.store import Store, store_path

Z95 = 1.959963984540054  # two-sided 95% normal quantile
BINS = 5  # quantile bins for parameters of sampling designs
MORRIS_KEYS = ("mu_star", "mu_star_conf", "mu", "sigma")


def wilson(k, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes in n trials (Wilson 1927; Newcombe 1998, method 3):

        centre = (p + z^2 / 2n) / (1 + z^2 / n),  half = z sqrt(p(1-p)/n + z^2 / 4n^2) / (1 + z^2 / n)

    Unlike the normal (Wald) interval it stays inside [0, 1] and is sensible at k = 0 or k = n.
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    # At k = 0 (k = n) the bound is 0 (1) exactly; floating point would leave a 1e-17 crumb.
    low = np.where(k == 0, 0.0, np.clip(centre - half, 0, 1))
    high = np.where(k == n, 1.0, np.clip(centre + half, 0, 1))
    return low, high


@dataclass
class Report:
    text: str
    files: list[Path] = field(default_factory=list)


def load_runs(directory: str | Path) -> tuple[dict, pd.DataFrame]:
    """The manifest and every stored run as a DataFrame (the documented one-liner, plus a clear error)."""
    if not store_path(directory).exists():
        raise ScenarioError(
            [
                Problem(
                    str(directory),
                    None,
                    None,
                    "",
                    "no sweep results here (results.sqlite is missing)",
                    suggestion="give the --out directory of `run.py sweep`",
                )
            ]
        )
    with Store.open(directory) as store:
        return store.manifest(), pd.read_sql("SELECT * FROM runs ORDER BY run_id", store.db)


def _categorical(series: pd.Series) -> bool:
    values = series.dropna()
    if values.empty:
        return False
    if values.map(lambda v: isinstance(v, str)).all():
        return True
    return bool(pd.to_numeric(values, errors="coerce").isin([0, 1]).all())


def _label_indicators(done: pd.DataFrame, metrics: list[str]) -> dict[str, pd.Series]:
    """`metric = label` -> 0/1 series for every label of every categorical metric."""
    out = {}
    for m in metrics:
        col = done[m]
        if not _categorical(col):
            continue
        if col.dropna().map(lambda v: isinstance(v, str)).all():
            for label in sorted(col.dropna().unique()):
                out[f"{m}={label}"] = (col == label).astype(float).where(col.notna())
        else:  # 0/1: the share of 1 says it all
            out[f"{m}=true"] = pd.to_numeric(col, errors="coerce")
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.=-]+", "_", text)


def _groups(done: pd.DataFrame, param: str, grid: bool) -> pd.Series:
    """The value each run is grouped under: itself on a grid, a quantile bin for sampled designs."""
    col = done[param]
    numeric = pd.to_numeric(col, errors="coerce")
    if grid or numeric.isna().any() or numeric.nunique() <= BINS:
        return col.astype(str) if numeric.isna().any() else numeric
    return pd.qcut(numeric, BINS, duplicates="drop").astype(str)


def share_table(
    done: pd.DataFrame, params: list[str], indicators: dict[str, pd.Series], grid: bool
) -> pd.DataFrame:
    rows = []
    for name, ind in indicators.items():
        metric, label = name.split("=", 1)
        rows.append(
            _share_row(
                ind,
                metric,
                label,
                "(all runs)",
                "",
            )
        )
        for p in params:
            for value, sub in ind.groupby(_groups(done, p, grid), sort=True, observed=True):
                rows.append(_share_row(sub, metric, label, p, value))
    return pd.DataFrame(rows)


def _share_row(ind: pd.Series, metric: str, label: str, param: str, value) -> dict:
    ind = ind.dropna()
    n, k = len(ind), int(ind.sum())
    low, high = wilson(k, n)
    return {
        "metric": metric,
        "label": label,
        "parameter": param,
        "value": value,
        "runs": n,
        "count": k,
        "share": k / n if n else math.nan,
        "ci95_low": float(low),
        "ci95_high": float(high),
    }


def _png(path: Path, fig) -> None:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    write_bytes(path, buf.getvalue())


def heatmap(
    path: Path, done: pd.DataFrame, values: pd.Series, title: str, px: str, py: str, share: bool
) -> None:
    """Mean of `values` in each cell of a two-parameter grid; a share (0..1, shown in %) or a metric's mean."""
    from matplotlib.figure import Figure

    table = values.groupby([done[py], done[px]]).mean().unstack(px).sort_index(ascending=False)
    grid = table.to_numpy(dtype=float)
    low, high = (0.0, 1.0) if share else (np.nanmin(grid), np.nanmax(grid))
    fig = Figure(figsize=(1.2 + 0.9 * table.shape[1], 1.0 + 0.6 * table.shape[0]), layout="constrained")
    ax = fig.subplots()
    im = ax.imshow(grid, vmin=low, vmax=high, cmap="viridis", aspect="auto")
    ax.set_xticks(range(table.shape[1]), [_tick(v) for v in table.columns])
    ax.set_yticks(range(table.shape[0]), [_tick(v) for v in table.index])
    ax.set_xlabel(px)
    ax.set_ylabel(py)
    middle = (low + high) / 2
    for (i, j), v in np.ndenumerate(grid):
        if not np.isnan(v):
            text = f"{100 * v:.0f}" if share else f"{v:.3g}"
            colour = "white" if v < middle else "black"
            ax.text(j, i, text, ha="center", va="center", color=colour, fontsize=8)
    ax.set_title(title)
    fig.colorbar(im, ax=ax, label="share of runs" if share else "mean")
    _png(path, fig)


def _tick(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _point_means(done: pd.DataFrame, series: pd.Series, n_points: int) -> np.ndarray | None:
    """Mean of a metric at every design point, in point order; None if some point has no value."""
    means = series.groupby(done["point"]).mean().reindex(range(n_points))
    return None if means.isna().any() else means.to_numpy(dtype=float)


def sensitivity(
    spec: SweepSpec, done: pd.DataFrame, outputs: dict[str, pd.Series]
) -> tuple[pd.DataFrame, list[str]]:
    """Sobol (Saltelli/Jansen via SALib) or Morris (elementary effects, per whole parameter range) indices of
    the per-point mean of each output; notes for outputs that cannot be analysed."""
    problem = unit_problem(spec)
    n_points = len(Points(spec))
    rows, notes = [], []
    for name, series in outputs.items():
        y = _point_means(done, series, n_points)
        if y is None:
            notes.append(f"{name}: skipped, some design points have no finished run or no value")
            continue
        if np.ptp(y) == 0:
            notes.append(f"{name}: skipped, the same at every point (no variance to attribute)")
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = _indices(spec, problem, y)
        if caught:
            notes.append(f"{name}: SALib warns: {caught[0].message}; read its indices with care")
        keys = ("S1", "S1_conf", "ST", "ST_conf") if spec.design.kind == "sobol" else MORRIS_KEYS
        for i, p in enumerate(problem["names"]):
            rows.append({"output": name, "parameter": p, **{k: float(res[k][i]) for k in keys}})
    return pd.DataFrame(rows), notes


def _indices(spec: SweepSpec, problem: dict, y: np.ndarray) -> dict:
    from SALib.analyze import morris, sobol

    if spec.design.kind == "sobol":
        return sobol.analyze(problem, y, calc_second_order=spec.design.second_order, seed=spec.seed)
    return morris.analyze(problem, unit_sample(spec), y, num_levels=spec.design.levels, seed=spec.seed)


def sensitivity_figure(path: Path, table: pd.DataFrame, kind: str) -> None:
    from matplotlib.figure import Figure

    key, err = ("ST", "ST_conf") if kind == "sobol" else ("mu_star", "mu_star_conf")
    outputs = list(dict.fromkeys(table["output"]))
    fig = Figure(figsize=(8, 1.2 + 2.0 * len(outputs)), layout="constrained")
    axes = fig.subplots(len(outputs), 1, squeeze=False)[:, 0]
    for ax, out in zip(axes, outputs, strict=True):
        sub = table[table["output"] == out].sort_values(key)
        ax.barh(sub["parameter"], sub[key], xerr=sub[err], color="tab:blue", alpha=0.8, label=key)
        if kind == "sobol":
            ax.barh(sub["parameter"], sub["S1"], height=0.4, color="tab:orange", label="S1")
            ax.legend(loc="lower right", fontsize=7)
        ax.set_title(out, fontsize=9)
        ax.tick_params(labelsize=7)
    fig.suptitle(
        "Sobol indices (total ST, first order S1)" if kind == "sobol" else "Morris mu* (per whole range)"
    )
    _png(path, fig)


def _csv(path: Path, df: pd.DataFrame) -> None:
    write_text(path, df.to_csv(index=False, float_format="%.6g"))


def analyze_store(directory: str | Path, report_dir: str | Path | None = None) -> Report:
    manifest, runs = load_runs(directory)
    spec = SweepSpec.model_validate(manifest["spec"])
    out = Path(report_dir) if report_dir else Path(directory) / "analysis"
    params, metrics = manifest["parameters"], manifest["metrics"]
    total = manifest["total_runs"]
    done = runs[runs["status"] == "done"].reset_index(drop=True)
    failed = runs[runs["status"] == "failed"]
    grid = spec.design.kind == "grid"
    lines = [
        f"sweep {spec.name or manifest['sweep_file']}: {len(done)} done, {len(failed)} failed,"
        f" {total - len(runs)} missing of {total} runs ({spec.design.kind} design, {spec.replications} replications)"
    ]
    report = Report("")
    if not failed.empty:
        errors = (
            failed.groupby("error").size().rename("runs").reset_index().sort_values("runs", ascending=False)
        )
        _csv(out / "failures.csv", errors)
        report.files.append(out / "failures.csv")
        lines.append(f"failures: {len(failed)}; most common: {errors.iloc[0]['error']}")
    if done.empty:
        lines.append("no finished runs to analyse")
        report.text = "\n".join(lines)
        return report
    indicators = _label_indicators(done, metrics)
    numeric = [
        m
        for m in metrics
        if not _categorical(done[m]) and pd.to_numeric(done[m], errors="coerce").notna().any()
    ]
    if indicators:
        shares = share_table(done, params, indicators, grid)
        _csv(out / "outcome_shares.csv", shares)
        report.files.append(out / "outcome_shares.csv")
        lines.append("shares over all runs (95% Wilson interval):")
        for row in shares[shares["parameter"] == "(all runs)"].to_dict("records"):
            lines.append(
                f"  {row['metric']} = {row['label']}: {100 * row['share']:.1f}%"
                f" [{100 * row['ci95_low']:.1f}, {100 * row['ci95_high']:.1f}] of {row['runs']}"
            )
    if numeric:
        means = []
        for m in numeric:
            values = pd.to_numeric(done[m], errors="coerce")
            means.append({"metric": m, "parameter": "(all runs)", "value": "", **_describe(values)})
            for p in params:
                for value, sub in values.groupby(_groups(done, p, grid), sort=True, observed=True):
                    means.append({"metric": m, "parameter": p, "value": value, **_describe(sub)})
        _csv(out / "metric_means.csv", pd.DataFrame(means))
        report.files.append(out / "metric_means.csv")
    if grid and len(params) == 2:
        px, py = params
        maps = [
            (f"heatmap_{_slug(n)}.png", ind, f"share of runs with {n} (%)", True)
            for n, ind in indicators.items()
        ]
        maps += [
            (f"heatmap_mean_{_slug(m)}.png", pd.to_numeric(done[m], errors="coerce"), f"mean {m}", False)
            for m in numeric
        ]
        for name, values, title, share in maps:
            heatmap(out / name, done, values, title, px, py, share)
            report.files.append(out / name)
    if spec.design.kind in ("sobol", "morris"):
        outputs = {**indicators, **{m: pd.to_numeric(done[m], errors="coerce") for m in numeric}}
        table, notes = sensitivity(spec, done, outputs)
        lines.extend(f"note: {n}" for n in notes)
        if not table.empty:
            kind = spec.design.kind
            _csv(out / f"{kind}_indices.csv", table)
            sensitivity_figure(out / f"{kind}_indices.png", table, kind)
            report.files += [out / f"{kind}_indices.csv", out / f"{kind}_indices.png"]
            key = "ST" if kind == "sobol" else "mu_star"
            lines.append(
                f"{'Sobol total-order index ST' if kind == 'sobol' else 'Morris mu*'} (largest first):"
            )
            for output, sub in table.groupby("output", sort=False):
                ranked = sub.sort_values(key, ascending=False)
                lines.append(
                    f"  {output}: "
                    + ", ".join(f"{r.parameter} {getattr(r, key):.2f}" for r in ranked.itertuples())
                )
    lines.append(f"wrote {len(report.files)} files to {out}")
    report.text = "\n".join(lines)
    return report


def _describe(values: pd.Series) -> dict:
    values = values.dropna()
    n = len(values)
    mean = float(values.mean()) if n else math.nan
    sd = float(values.std(ddof=1)) if n > 1 else math.nan
    half = Z95 * sd / math.sqrt(n) if n > 1 else math.nan
    return {"runs": n, "mean": mean, "sd": sd, "ci95_low": mean - half, "ci95_high": mean + half}
