"""Airflow's ``[core] hostname_callable`` for the distributed profile's components.

Every component runs on this one machine, so the real hostname cannot tell the two Celery
workers or the two triggerers apart; each is given its own (``worker-1``, ``triggerer-2``...)
in ``ORDERMESH_DEPLOYMENT_HOSTNAME``, as separate hosts would have. A task instance's and a
triggerer job's ``hostname`` in the REST API then say which of them ran it.
"""

from __future__ import annotations

import os
import socket


def hostname() -> str:
    """The component's own name, or the machine's for a process started without one."""
    return os.environ.get("ORDERMESH_DEPLOYMENT_HOSTNAME") or socket.getfqdn()
