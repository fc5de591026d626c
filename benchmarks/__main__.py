"""Entry point of ``python -m benchmarks`` (and ``make bench``)."""

from benchmarks.cli import main

raise SystemExit(main())
