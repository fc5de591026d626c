"""Approval by a person before money moves: refunds and cancels above a threshold wait for an answer.

``policy`` checks what the DAG author asks for (threshold per currency, approvers, timeout);
``proposal`` is what the approver is shown; ``decision`` reads the answer; ``record`` keeps each
decision as a note on the order; ``gate`` joins them for the money-moving operators.
"""
