"""Sweeps: many seeded runs of a scenario over a design, streamed to a resumable store, then analysed.

spec (the sweep file language) -> designs (points and per-run seeds) -> runners (in-process, process pool,
Dask) -> store (SQLite, one committed row per run) -> analysis (shares, heatmaps, sensitivity indices).
"""
