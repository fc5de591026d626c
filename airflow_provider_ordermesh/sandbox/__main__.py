"""``python -m airflow_provider_ordermesh.sandbox``: the same as ``ordermesh-sandbox``."""

from airflow_provider_ordermesh.sandbox.run.cli import main

raise SystemExit(main())
