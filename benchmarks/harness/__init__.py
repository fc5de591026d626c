"""What runs the benchmarks: the command line, the sandbox process, the shared data and set-up, figures and report.

A case (``benchmarks/cases``) measures; the harness starts and counts, and knows no case.
"""
