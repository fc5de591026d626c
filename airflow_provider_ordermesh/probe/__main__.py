"""``python -m airflow_provider_ordermesh.probe``: the same as ``ordermesh-probe``."""

from airflow_provider_ordermesh.probe.cli import main

raise SystemExit(main())
