"""Reproducible benchmarks, run by ``make bench``."""
