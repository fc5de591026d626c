"""Entry point of ``python -m benchmarks`` (and ``make bench``)."""

from benchmarks.harness.cli import main

raise SystemExit(main())
