"""Benchmarks of the office pages (run with ``python -m benchmarks``; see __main__.py)."""
