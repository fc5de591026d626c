"""Benchmarks of the OrderMesh provider against what users would otherwise write.

Run ``python -m benchmarks`` (``--quick`` for a smoke run, ``--only NAME``, ``--check``); see
benchmarks/README.md for what each one measures.
"""
