"""Every check of what a user writes into a task or a connection, in one place below the operators.

``narrowing`` (rendered arguments that must not widen an action), ``numbers`` (whole numbers and
seconds), ``ids`` (id arguments), ``payloads`` (JSON text and request models) and ``settings``
(client settings from ``hook_params`` and connection extras). Operators, sensors, transfers and
hooks import from here; nothing here imports them.

Failures of task arguments are ``InvalidArgument``; failures of client settings stay the client's
``ConfigurationError`` (the hook raises them where a connection is read).
"""

from __future__ import annotations

from airflow_provider_ordermesh.compat import AirflowFailException


class InvalidArgument(AirflowFailException, ValueError):
    """A task argument that cannot work: fails the task without retries (and is a ``ValueError`` at parse time)."""
