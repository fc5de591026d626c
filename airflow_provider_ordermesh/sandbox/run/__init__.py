"""Serving the sandbox: the threaded server, the ``ordermesh-sandbox`` command and the pytest plugin."""
