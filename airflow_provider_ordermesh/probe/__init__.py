"""``ordermesh-probe``: read-only checks of a real OrderMesh against the provider's API reconstruction.

It sends only GET requests (plus the token request), compares each answer with the response
models, and writes a redacted report that a user can attach to a bug report. Run it with
``ordermesh-probe --help`` or ``python -m airflow_provider_ordermesh.probe``; nothing in the
provider imports it.
"""
