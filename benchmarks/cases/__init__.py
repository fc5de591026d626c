"""One module per benchmark, each with ``run(context)`` yielding its figures; children run as ``python -m``.

The baselines (what a user would write without the provider) live beside the cases that use them.
"""
