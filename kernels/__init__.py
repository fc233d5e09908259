"""Kernels written with loopjit: the reference workloads of the demo, benchmarks and tests."""
