"""Pure NumPy kernels of the conflict model, one module per mechanism."""
