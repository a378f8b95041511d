"""Sweeps: many seeded runs of a scenario over a design, streamed to a resumable store, then analysed.

spec (the sweep file language) -> designs (points and per-run seeds) -> driver (`run_sweep`: opens the store
through opening, new or resumed after checking its manifest, under a lock; hands the runs to executors,
in-process, process pool or Dask, each run's work being work.execute) -> store (SQLite, one committed row per
run) -> analysis (shares, heatmaps, sensitivity indices).
"""
