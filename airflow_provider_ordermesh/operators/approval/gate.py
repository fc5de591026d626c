"""``ApprovalGate``: the mixin that makes a money-moving operator wait for a person above a threshold.

The operator keeps its own request, markers and sending; the gate decides whether to ask, asks
through Airflow's human-in-the-loop (``compat.ask_a_person``), checks the answer, records it as a
note on the order, and hands the operator the approved part of its request. Flow:

1. ``perform`` builds the request, then calls ``with_approval`` instead of sending.
2. A decision already recorded for this task instance (a retry, a cleared task) is carried out
   again: the operator's markers skip what was sent. No second request, no second note.
3. Else, when what is still to send totals at most the threshold in the order's currency, it is
   sent as without approval. Above it the task waits; Airflow resumes ``resume_after_approval``
   with the answer (or, after ``approval_timeout``, with "Reject all").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from airflow_provider_ordermesh import compat
from airflow_provider_ordermesh.arguments import InvalidArgument
from airflow_provider_ordermesh.arguments.ids import checked_id
from airflow_provider_ordermesh.links.portal import OrderMeshOrderLink
from airflow_provider_ordermesh.operators.approval.decision import Decision, decided
from airflow_provider_ordermesh.operators.approval.policy import (
    DEFAULT_APPROVAL_TIMEOUT,
    ApprovalPolicy,
    checked_approvers,
    checked_thresholds,
    checked_timeout,
    is_template,
)
from airflow_provider_ordermesh.operators.approval.proposal import REJECT_ALL, Proposal, ProposedLine, money
from airflow_provider_ordermesh.operators.approval.record import note_text, recorded_decision
from airflow_provider_ordermesh.operators.base import OrderMeshBaseOperator
from airflow_provider_ordermesh.operators.idempotency import TaskIdentity

if TYPE_CHECKING:
    from airflow_provider_ordermesh import models
    from airflow_provider_ordermesh.compat import Context

Request = TypeVar("Request")

APPROVAL_FIELDS = ("require_approval_above", "approvers", "approval_timeout")
"""The templated approval arguments, to add to an operator's ``template_fields``."""


def check_approval_arguments(require_approval_above: Any, approvers: Any, approval_timeout: Any) -> None:
    """What can be checked while the DAG is parsed: HITL present, literal settings valid."""
    if require_approval_above is None:
        if approvers is not None:
            raise InvalidArgument("approvers is set but require_approval_above is not: set both, or neither")
        return
    if not compat.has_hitl():
        version = ".".join(map(str, compat.airflow_version()))
        raise InvalidArgument(
            f"require_approval_above needs Airflow's human-in-the-loop (Airflow 3.1+ with the standard "
            f"provider); this is Airflow {version}. Upgrade Airflow, or leave require_approval_above out"
        )
    if approvers is None:
        raise InvalidArgument("require_approval_above is set without approvers: name who may approve")
    if _literal(require_approval_above):
        checked_thresholds(require_approval_above)
    if _literal(approvers):
        checked_approvers(approvers)
    if _literal(approval_timeout):
        checked_timeout(approval_timeout)


def _literal(value: Any) -> bool:
    """Whether ``value`` is known at parse time (not a template, not an XCom reference)."""
    return not is_template(value) and not hasattr(value, "resolve")


class ApprovalGate(OrderMeshBaseOperator, Generic[Request]):
    """Mixin (before the operator's base) adding ``require_approval_above``, ``approvers`` and
    ``approval_timeout``; the operator implements the four hooks at the end of this class.

    :param require_approval_above: ``{currency: amount}``, templated: what a task would send
        to an order in that currency above that total waits for an approval. None: never asks.
    :param approvers: Airflow user ids (or ``{"id", "name"}``) who may answer, templated; required
        with ``require_approval_above``.
    :param approval_timeout: How long to wait (a timedelta or seconds, templated; default one day);
        then every line is rejected.
    """

    approval_action: ClassVar[str]
    order_id: str

    def __init__(
        self,
        *,
        require_approval_above: Any = None,
        approvers: Any = None,
        approval_timeout: Any = DEFAULT_APPROVAL_TIMEOUT,
        **kwargs: Any,
    ) -> None:
        check_approval_arguments(require_approval_above, approvers, approval_timeout)
        super().__init__(**kwargs)
        self.require_approval_above = require_approval_above
        self.approvers = approvers
        self.approval_timeout = approval_timeout

    @classmethod
    def partial(cls, **kwargs: Any) -> Any:
        """As ``BaseOperator.partial``, with the approval settings checked at parse time too."""
        check_approval_arguments(
            kwargs.get("require_approval_above"),
            kwargs.get("approvers"),
            kwargs.get("approval_timeout", DEFAULT_APPROVAL_TIMEOUT),
        )
        return super().partial(**kwargs)

    @property
    def asks_approval(self) -> bool:
        return self.require_approval_above is not None

    # --- the flow ------------------------------------------------------------------------------

    def with_approval(self, context: Context, order_id: str, request: Request) -> dict[str, Any]:
        """Send ``request`` now, carry out a recorded decision, or wait for a person (see the module)."""
        policy = ApprovalPolicy.of(self.require_approval_above, self.approvers, self.approval_timeout)
        order = self.client.orders.get(order_id)
        self.check_against_order(request, order)
        threshold = policy.threshold_for(order.currency_code, order_id=order_id)
        marker = self._decision_marker(context, request, order)
        recorded = recorded_decision(self._order_notes(order_id), marker)
        if recorded is not None:
            self.log.info("a decision is recorded in note %s: carrying it out", recorded.note_id)
            proposal = self._proposal(order, request, threshold, pending_only=False)
            decided_lines = set(recorded.approved) | set(recorded.rejected)
            proposal = _restricted(proposal, decided_lines)
            return self._carry_out(context, order_id, request, proposal, recorded)
        proposal = self._proposal(order, request, threshold, pending_only=True)
        if proposal.total <= threshold:
            result = self.send_request(context, order_id, request)
            return {
                **result,
                "approval": {
                    "required": False,
                    "total": money(proposal.total),
                    "currency": proposal.currency,
                    "threshold": money(threshold),
                },
            }
        deadline = datetime.now(UTC) + policy.timeout
        self.log.info(
            "%s %s %s is above the threshold of %s: waiting for %s until %s",
            self.approval_action,
            money(proposal.total),
            proposal.currency,
            money(threshold),
            ", ".join(user["id"] for user in policy.approvers),
            deadline.isoformat(timespec="seconds"),
        )
        compat.ask_a_person(
            self,
            context,
            subject=proposal.subject,
            body=proposal.body(f"by {deadline.strftime('%Y-%m-%d %H:%M')} UTC"),
            options=proposal.options,
            defaults=[REJECT_ALL],
            params=compat.hitl_params(proposal.form_fields()),
            assigned_users=policy.approvers,
            timeout=policy.timeout,
            method_name="resume_after_approval",
            kwargs={"proposal": proposal.to_json()},
        )

    def resume_after_approval(
        self, context: Context, event: dict[str, Any], proposal: dict[str, Any]
    ) -> dict[str, Any]:
        """Where Airflow resumes the task with the answer: check it, record it, send what it approves."""
        return self.fail_fast(lambda: self._resume(context, event, Proposal.from_json(proposal)))

    def _resume(self, context: Context, event: dict[str, Any], proposal: Proposal) -> dict[str, Any]:
        order_id = checked_id(self.order_id, param="order_id")
        request = self.build_request(context, order_id)
        self.push_link(context, OrderMeshOrderLink, order_id)
        decision = decided(proposal, event)
        order = self.client.orders.get(order_id)
        marker = self._decision_marker(context, request, order)
        recorded = recorded_decision(self._order_notes(order_id), marker)
        if recorded is None:
            ti = context["ti"]
            where = f"{ti.dag_id} / {ti.run_id} / {ti.task_id}[{getattr(ti, 'map_index', -1)}]"
            note = self.client.notes.create(
                {
                    "text": note_text(proposal, decision, marker=marker, where=where),
                    "resource": {"type": "Order", "id": order_id},
                }
            )
            decision = Decision(**{**decision.to_json(), "note_id": note.id})
        else:
            decision = recorded
        self.log.info(
            "decision (note %s): %d line(s) approved, %d rejected%s",
            decision.note_id,
            len(decision.approved),
            len(decision.rejected),
            " (no answer in time)" if decision.timed_out else f" by {decision.decided_by}",
        )
        return self._carry_out(context, order_id, request, proposal, decision)

    def _carry_out(
        self, context: Context, order_id: str, request: Request, proposal: Proposal, decision: Decision
    ) -> dict[str, Any]:
        approved = self.approved_request(context, request, decision) if decision.approved else None
        result = (
            self.send_request(context, order_id, approved)
            if approved is not None
            else self.nothing_sent(order_id, request)
        )
        return {**result, "approval": decision.summary(proposal)}

    def _proposal(
        self, order: models.Order, request: Request, threshold: Any, *, pending_only: bool
    ) -> Proposal:
        refunded = sum(
            (
                record.amount or 0
                for item in order.items
                if item.refund_data
                for record in item.refund_data.refunds
            ),
            0.0,
        )
        return Proposal(
            action=self.approval_action,  # type: ignore[arg-type]
            order_id=order.id,
            order_short_id=order.short_id or order.id,
            portal_link=OrderMeshOrderLink.url(self.hook.portal_url, order.id),
            currency=order.currency_code or "",
            already_refunded=money(Decimal(str(refunded))),
            threshold=money(threshold),
            lines=tuple(self.approval_lines(request, order, pending_only=pending_only)),
        )

    def _decision_marker(self, context: Context, request: Request, order: models.Order) -> str:
        keys = sorted(line.key for line in self.approval_lines(request, order, pending_only=False))
        identity = TaskIdentity.from_context(context, self.approval_identity_key())
        return identity.marker("approval", self.approval_action, keys)

    def _order_notes(self, order_id: str) -> list[models.Note]:
        return list(self.client.notes.list({"resourceType": "Order", "resourceId": order_id}))

    # --- what the operator implements ----------------------------------------------------------

    def build_request(self, context: Context, order_id: str) -> Request:
        """The operator's validated request, markers included (the same on every try)."""
        raise NotImplementedError

    def check_against_order(self, request: Request, order: models.Order) -> None:
        """Refuse ``request`` when the order shows it cannot be right, before a person is asked."""

    def approval_lines(
        self, request: Request, order: models.Order, *, pending_only: bool
    ) -> list[ProposedLine]:
        """The request's lines as shown to the approver; with ``pending_only``, those not applied yet."""
        raise NotImplementedError

    def approved_request(self, context: Context, request: Request, decision: Decision) -> Request:
        """The part of ``request`` that ``decision`` approves, at the approved values."""
        raise NotImplementedError

    def send_request(self, context: Context, order_id: str, request: Request) -> dict[str, Any]:
        """Send ``request`` exactly once (the operator's markers) and return the task's result."""
        raise NotImplementedError

    def nothing_sent(self, order_id: str, request: Request) -> dict[str, Any]:
        """The task's result when nothing was approved."""
        raise NotImplementedError

    def approval_identity_key(self) -> str | None:
        """The operator's rendered ``idempotency_key`` (None: the task instance)."""
        return None


def _restricted(proposal: Proposal, keys: set[str]) -> Proposal:
    """``proposal`` with only the lines whose key is in ``keys`` (those a recorded decision covered)."""
    return replace(proposal, lines=tuple(line for line in proposal.lines if line.key in keys))
