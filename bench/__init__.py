"""Side-by-side benchmarks of loopjit against NumPy, Numba and NumExpr: `python -m bench.run`
from the repository root (`make bench`). docs/benchmarks.md explains each measurement."""
