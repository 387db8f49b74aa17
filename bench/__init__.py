"""Benchmarks: extraction accuracy next to quantulum3 (`bench.extraction`) and speed (`bench.speed`).

Run them all with `python -m bench` (or `make bench`), or one with `python -m bench speed`.
"""
