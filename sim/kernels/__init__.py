"""The model's science kernels: pure NumPy functions grouped by mechanism, each docstring with its equation and
source. No Mesa, no YAML, no model state; `sim.engine.phases` strings them together (docs/MODEL.md)."""
