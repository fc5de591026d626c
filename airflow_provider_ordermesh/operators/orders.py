"""Operators for OrderMesh orders: create (one or many), update, cancel, hold, refund, search.

Every argument is keyword-only; ids and payloads are templated and may be dicts, models or
JSON strings rendered by Jinja; each payload is validated after rendering and before any
request, and a bad one fails the task without retries, naming every bad field. Return values
are small dicts or lists of ids, for ``.output`` and ``.partial().expand()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, get_args

from airflow_provider_ordermesh import models
from airflow_provider_ordermesh.arguments import InvalidArgument
from airflow_provider_ordermesh.arguments.ids import checked_id
from airflow_provider_ordermesh.arguments.narrowing import NOT_GIVEN, refuse_blank
from airflow_provider_ordermesh.arguments.numbers import money_decimals_problem
from airflow_provider_ordermesh.arguments.payloads import parse_json_text, validated_argument
from airflow_provider_ordermesh.client.errors import ConflictError, NotFoundError, OutcomeUnknownError
from airflow_provider_ordermesh.compat import AirflowFailException
from airflow_provider_ordermesh.links.portal import OrderMeshOrderLink
from airflow_provider_ordermesh.models.statuses import DEFAULT_ORDER_STATUSES, OrderStatus
from airflow_provider_ordermesh.operators.approval import lines as approval_lines
from airflow_provider_ordermesh.operators.approval.gate import APPROVAL_FIELDS, ApprovalGate
from airflow_provider_ordermesh.operators.base import OrderMeshBaseOperator
from airflow_provider_ordermesh.operators.bulk import OrderMeshBulkOperator
from airflow_provider_ordermesh.operators.idempotency import (
    CONTENT_META_KEY,
    KeyReused,
    TaskIdentity,
    canonical_content,
    canonical_lines,
    check_room_for_marker,
    fingerprint,
    fingerprint_differences,
    guarded,
    key_name,
    marker_of,
    markers_in,
    natural,
    natural_safe_id,
    other_content_under_key,
    refuse_duplicates,
    with_safe_id_json,
)
from airflow_provider_ordermesh.operators.search import OrderMeshSearchOperator

if TYPE_CHECKING:
    from airflow_provider_ordermesh.client.bulk import BulkEntry, BulkResult, SendBatch
    from airflow_provider_ordermesh.client.resources.orders import EncodedOrder
    from airflow_provider_ordermesh.compat import Context
    from airflow_provider_ordermesh.operators.approval.decision import Decision
    from airflow_provider_ordermesh.operators.approval.proposal import ProposedLine

# ``models`` loads each model on first use, in a task (building them at DAG parse took ~60 ms);
# ``client.bulk`` and ``client.resources.orders`` are imported inside the bulk methods for the
# same reason (~3 ms).

IfShipped = Literal["fail", "report"]
IF_SHIPPED: tuple[str, ...] = get_args(IfShipped)


def checked_key(value: Any) -> str | None:
    """The rendered ``idempotency_key``: None when not given, else visible text (a blank key would
    make every run look like the same one, and skip real work)."""
    if value is None:
        return None
    refuse_blank(value, param="idempotency_key", widening="one key for every run")
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise AirflowFailException(f"idempotency_key must be text, got {type(value).__name__}")
    return str(value).strip()


def _with_merchant(order: dict[str, Any], merchant_id: str | None) -> dict[str, Any]:
    """The order with the connection's merchant id filled in when it names none."""
    if merchant_id and not (order.get("merchantId") or order.get("merchant_id")):
        return {**order, "merchantId": merchant_id}
    return order


@dataclass(frozen=True)
class KeyedOrder:
    """An order ready to send: its safeId, and, when a key chose it, what names the key and the
    ``fingerprint`` of its content (also in ``meta``), to compare with an order found under it."""

    order: models.CreateOrder
    key_name: str | None = None
    content: str | None = None


def keyed_order(
    context: Context,
    order: models.CreateOrder,
    *,
    index: int | None = None,
    idempotency_key: str | None = None,
) -> KeyedOrder:
    """The order with its safeId: its own, or from ``idempotency_key``, or from its ``externalId`` and
    merchant, or from the task instance (first match; recipes in ``operators.idempotency``)."""
    if order.safe_id:
        return KeyedOrder(order)
    chosen = key_safe_id(context, order, idempotency_key)
    if chosen is None:
        identity = TaskIdentity.from_context(context)
        return KeyedOrder(order.model_copy(update={"safe_id": identity.safe_id(order.to_api(), index=index)}))
    return with_content_record(order, *chosen)


def key_safe_id(
    context: Context, order: models.CreateOrder, idempotency_key: str | None
) -> tuple[str, str] | None:
    """``(safeId, how a refusal names the key)`` when a key chooses the safeId of an order without
    its own: ``idempotency_key``, else the ``externalId`` with the merchant; None when neither does."""
    if idempotency_key is not None:
        identity = TaskIdentity.from_context(context, idempotency_key)
        return identity.key_safe_id(), key_name(identity)
    if order.external_id:
        name = f"externalId {order.external_id!r} (merchant {order.merchant_id or '-'})"
        return natural_safe_id(order.merchant_id, order.external_id), name
    return None


def with_content_record(order: models.CreateOrder, safe_id: str, name: str) -> KeyedOrder:
    """The order under ``safe_id`` with its content's ``fingerprint`` recorded in ``meta``."""
    content = content_of(order.to_api())
    meta = {**(order.meta or {}), CONTENT_META_KEY: content}
    return KeyedOrder(order.model_copy(update={"safe_id": safe_id, "meta": meta}), name, content)


def with_content_record_json(api_order: dict[str, Any], safe_id: str) -> tuple[bytes, str]:
    """The request JSON of an order (API field names) under ``safe_id`` with its content record in
    ``meta``, and that record: ``with_content_record`` for the bulk path, encoded once, no model copy."""
    content = content_of(api_order)
    recorded = {**api_order, "meta": {**(api_order.get("meta") or {}), CONTENT_META_KEY: content}}
    return with_safe_id_json(canonical_content(recorded), safe_id), content


def content_of(api_order: dict[str, Any]) -> str:
    """The ``fingerprint`` of an order's content: without its safeId and without the record itself."""
    meta = {k: v for k, v in (api_order.get("meta") or {}).items() if k != CONTENT_META_KEY}
    content = {k: v for k, v in api_order.items() if k not in ("safeId", "meta")}
    return fingerprint({**content, **({"meta": meta} if meta else {})})


def content_differences(found: models.Order, content: str) -> list[str]:
    """The fields in which ``found`` differs from an order whose content record is ``content``."""
    recorded = (found.meta or {}).get(CONTENT_META_KEY)
    if recorded is None:
        return [f"unknown (order {found.id} records no content to compare; check it by hand)"]
    return fingerprint_differences(recorded, content)


def refuse_other_content(keyed: KeyedOrder, found: models.Order) -> None:
    """Fail when ``found`` (the order under ``keyed``'s safeId) records other content, naming the fields."""
    differs = content_differences(found, keyed.content or "")
    if differs:
        raise KeyReused(keyed.key_name or "the safeId", f"order {found.id} differs in {', '.join(differs)}")


def order_result(order: models.Order) -> dict[str, Any]:
    """What an action on one order returns: ``{"order_id", "status"}``."""
    return {"order_id": order.id, "status": order.status}


class _OrderAction(OrderMeshBaseOperator):
    """An action on the order ``order_id``, which carries the order's portal link."""

    lineage_writes = ("orders",)

    operator_extra_links = (OrderMeshOrderLink(),)
    template_fields: tuple[str, ...] = (*OrderMeshBaseOperator.template_fields, "order_id")

    def __init__(self, *, order_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.order_id = order_id


class OrderMeshCreateOrderOperator(OrderMeshBaseOperator):
    """Create one order, idempotently.

    The order's ``safeId`` is its idempotency key: the payload's own; else one from
    ``idempotency_key``; else, when the order has an ``externalId`` (your own reference), one from
    it and the merchant, the same in every run and DAG; else one from the task instance (dag_id,
    task_id, run_id, map_index) and a hash of the order, which protects retries within one run only
    (recipes in ``operators.idempotency``). OrderMesh's 409 for an existing safeId is answered
    with the existing order (``already_existed`` True).

    Under a key or an ``externalId`` the order records its content in ``meta["omContent"]``, and the
    operator looks the safeId up first: the same content is done (nothing sent), other content
    (say, a corrected address) is refused before anything is sent, naming the key and the fields
    that differ.

    :param payload: The order (``CreateOrderModel``): a dict, a ``CreateOrder`` model or a JSON
        string. ``merchantId`` defaults to the connection's ``merchant_id`` extra.
    :param idempotency_key: Optional, templated (e.g. ``"{{ params.shop_order_id }}"``): replaces
        the run in the derived safeId, so the same key creates one order across all runs.
    :return: ``{"order_id", "short_id", "safe_id", "already_existed"}``.
    """

    idempotency = guarded(
        "the safeId: its own, the idempotency_key's or the externalId's, looked up before sending; "
        "the task instance's, answered 409 when it exists"
    )
    lineage_writes = ("orders",)

    template_fields: tuple[str, ...] = (*OrderMeshBaseOperator.template_fields, "payload", "idempotency_key")
    template_fields_renderers: ClassVar[dict[str, str]] = {"payload": "json"}
    operator_extra_links = (OrderMeshOrderLink(),)

    def __init__(
        self, *, payload: dict[str, Any] | str | Any, idempotency_key: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.payload = payload
        self.idempotency_key = idempotency_key

    def perform(self, context: Context) -> dict[str, Any]:
        raw = parse_json_text(self.payload, param="payload")
        if hasattr(raw, "model_dump"):
            raw = raw.model_dump(by_alias=True, exclude_none=True)
        if isinstance(raw, dict):
            raw = _with_merchant(raw, self.hook.merchant_id)
        key = checked_key(self.idempotency_key)
        keyed = keyed_order(
            context, validated_argument(models.CreateOrder, raw, param="payload"), idempotency_key=key
        )
        order = keyed.order
        found = self._found_under_key(keyed)
        if found is not None:
            self.push_link(context, OrderMeshOrderLink, found.id)
            self.log.info("%s already created order %s; nothing sent", keyed.key_name, found.id)
            return {
                "order_id": found.id,
                "short_id": found.short_id,
                "safe_id": order.safe_id,
                "already_existed": True,
            }
        self.log.info("creating order with safeId %s", order.safe_id)
        created = self.client.orders.create(order)
        if created.already_existed and keyed.key_name is not None:
            # Created meanwhile by another task under the same key: same content, or refused.
            refuse_other_content(keyed, self.client.orders.get(created.id))
        self.push_link(context, OrderMeshOrderLink, created.id)
        if created.already_existed:
            self.log.info(
                "an order with safeId %s already existed: %s (nothing created)", order.safe_id, created.id
            )
        return {
            "order_id": created.id,
            "short_id": created.short_id,
            "safe_id": created.safe_id or order.safe_id,
            "already_existed": created.already_existed,
        }

    def _found_under_key(self, keyed: KeyedOrder) -> models.Order | None:
        """The order an earlier run created under ``keyed``'s key (None if none); other content is refused."""
        if keyed.key_name is None:
            return None
        try:
            found = self.client.orders.get_by_safe_id(keyed.order.safe_id or "")
        except NotFoundError:
            return None
        refuse_other_content(keyed, found)
        return found


class OrderMeshCreateOrdersOperator(OrderMeshBulkOperator):
    """Create many orders through the bulk endpoint, idempotently, with per-order results.

    Each order gets a safeId: its own, or one derived from the task instance, its index in the
    input and a hash of its content. On a retried task (try 2+) the operator first asks which
    of a batch's safeIds exist (one search per batch) and sends only the others, so nothing is
    sent twice. Batching, concurrency and ``on_partial_failure`` are described on
    ``OrderMeshBulkOperator``.

    :param orders: A list of orders (dicts or ``CreateOrder`` models), a JSON array (e.g. an
        XCom rendered by Jinja), or the path of a ``.json`` file (an array) or a ``.jsonl`` file
        (one order per line, read line by line: use it for large inputs).
    :return: ``{"order_ids", "created", "already_existed", "failures": [{"index", "safe_id",
        "message"}]}``; ``order_ids`` lists every order that now exists, in input order.
    """

    idempotency = guarded(
        "safeIds: a retried task searches for each batch's safeIds and sends only the missing "
        "orders; any re-sent safeId is answered 409"
    )
    lineage_writes = ("orders",)

    source_param = "orders"
    ref_field = "safeId"
    ref_key = "safe_id"
    template_fields: tuple[str, ...] = (*OrderMeshBaseOperator.template_fields, "orders")
    template_fields_renderers: ClassVar[dict[str, str]] = {"orders": "json"}

    def __init__(self, *, orders: Sequence[Any] | str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.orders = orders

    def request_model(self) -> type[models.CreateOrder]:
        return models.CreateOrder

    def prepare_item(self, context: Context, raw: dict[str, Any]) -> dict[str, Any]:
        return _with_merchant(raw, self.hook.merchant_id)

    def make_entry(
        self, context: Context, index: int, request: models.CreateOrder
    ) -> BulkEntry[EncodedOrder]:
        """The order as the request JSON it is sent as, with its own safeId or a derived one.

        It is encoded here, right after validation, and the validated model is dropped: the
        validation pass keeps one bytes object per order instead of a tree of models, which is
        far less memory and nothing for the cyclic garbage collector to walk again and again
        (keeping 5,000 orders' models cost more CPU in collections than validating them).
        A derived safeId hashes the order's canonical JSON; that text, with the safeId added, is
        then the order's body, so it too is encoded once (``idempotency.with_safe_id_json``).
        """
        from airflow_provider_ordermesh.client.bulk import BulkEntry
        from airflow_provider_ordermesh.client.resources.orders import EncodedOrder

        if request.safe_id:
            return BulkEntry(
                index=index, ref=request.safe_id, item=EncodedOrder(request.safe_id, request.to_api_json())
            )
        api = request.to_api()
        chosen = key_safe_id(context, request, None)
        if chosen is not None:
            body, content = with_content_record_json(api, chosen[0])
            return BulkEntry(
                index=index, ref=chosen[0], item=EncodedOrder(chosen[0], body, fingerprint=content)
            )
        self._warn_run_bound_once()
        canonical = canonical_content(api)
        safe_id = TaskIdentity.from_context(context).safe_id_of_canonical(canonical, index=index)
        return BulkEntry(
            index=index, ref=safe_id, item=EncodedOrder(safe_id, with_safe_id_json(canonical, safe_id))
        )

    def _warn_run_bound_once(self) -> None:
        """Say once per task what protects orders with neither a safeId nor an externalId, and what not."""
        if getattr(self, "_warned_run_bound", False):
            return
        self._warned_run_bound = True
        self.log.warning(
            "some orders have neither a safeId nor an externalId: their safeIds are derived from this "
            "task instance, which protects Airflow's retries within this run only; a re-run (a new "
            "run) would create them again. Give each order a safeId or an externalId to protect re-runs"
        )

    def sender(self, context: Context) -> SendBatch[EncodedOrder]:
        from airflow_provider_ordermesh.client.bulk import create_orders_batch

        client, retried = self.client, self.try_number(context) > 1
        if retried:
            self.log.info("retried task: checking which safeIds exist before sending each batch")
        return lambda batch: create_orders_batch(
            client, batch, skip_existing=retried, differences=content_differences
        )

    def summarise(self, result: BulkResult) -> dict[str, Any]:
        return {"order_ids": result.ids, "created": result.applied, "already_existed": result.already_existed}


class OrderMeshUpdateOrderOperator(_OrderAction):
    """Change fields of one order (``PATCH``, safe to repeat).

    :param order_id: The order (24 hex characters).
    :param payload: The changes (``UpdateOrderModel``): a dict, model or JSON string.
    :return: ``{"order_id", "status"}``.
    """

    idempotency = natural("a PATCH: the same changes sent twice leave the same order")

    template_fields = (*_OrderAction.template_fields, "payload")
    template_fields_renderers: ClassVar[dict[str, str]] = {"payload": "json"}

    def __init__(self, *, order_id: str, payload: dict[str, Any] | str | Any, **kwargs: Any) -> None:
        super().__init__(order_id=order_id, **kwargs)
        self.payload = payload

    def perform(self, context: Context) -> dict[str, Any]:
        order_id = checked_id(self.order_id, param="order_id")
        request = validated_argument(models.UpdateOrder, self.payload, param="payload")
        self.push_link(context, OrderMeshOrderLink, order_id)
        return order_result(self.client.orders.update(order_id, request))


class OrderMeshUpdateOrdersOperator(OrderMeshBulkOperator):
    """Update many orders through the bulk endpoint; each entry carries the ``id`` of its order.

    Updates are PATCHes, so a retried task sends them again harmlessly. Batching, concurrency
    and ``on_partial_failure`` are described on ``OrderMeshBulkOperator``.

    :param updates: A list of updates, a JSON array, or a ``.json`` / ``.jsonl`` file path.
    :return: ``{"order_ids", "updated", "failures": [{"index", "order_id", "message"}]}``.
    """

    idempotency = natural("PATCHes: the same changes sent twice leave the same orders")
    lineage_writes = ("orders",)

    source_param = "updates"
    ref_field = "id"
    ref_key = "order_id"
    template_fields: tuple[str, ...] = (*OrderMeshBaseOperator.template_fields, "updates")
    template_fields_renderers: ClassVar[dict[str, str]] = {"updates": "json"}

    def __init__(self, *, updates: Sequence[Any] | str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.updates = updates

    def request_model(self) -> type[models.BulkUpdateOrder]:
        return models.BulkUpdateOrder

    def sender(self, context: Context) -> SendBatch[models.BulkUpdateOrder]:
        from airflow_provider_ordermesh.client.bulk import update_orders_batch

        client = self.client
        return lambda batch: update_orders_batch(client, batch)

    def summarise(self, result: BulkResult) -> dict[str, Any]:
        return {"order_ids": result.ids, "updated": result.succeeded}


class OrderMeshUpdateOrderItemOperator(_OrderAction):
    """Change one item of an order (SKU, quantity, artwork, options).

    :param order_id: The order.
    :param order_item_id: The item.
    :param payload: The changes (``UpdateOrderItemModel``).
    :return: ``{"order_id", "order_item_id", "status"}`` (the item's status).
    """

    idempotency = natural("a PATCH: the same changes sent twice leave the same item")
    lineage_writes = ("order_items",)

    template_fields = (*_OrderAction.template_fields, "order_item_id", "payload")
    template_fields_renderers: ClassVar[dict[str, str]] = {"payload": "json"}

    def __init__(
        self, *, order_id: str, order_item_id: str, payload: dict[str, Any] | str | Any, **kwargs: Any
    ) -> None:
        super().__init__(order_id=order_id, **kwargs)
        self.order_item_id = order_item_id
        self.payload = payload

    def perform(self, context: Context) -> dict[str, Any]:
        order_id = checked_id(self.order_id, param="order_id")
        item_id = checked_id(self.order_item_id, param="order_item_id")
        request = validated_argument(models.UpdateOrderItem, self.payload, param="payload")
        self.push_link(context, OrderMeshOrderLink, order_id)
        item = self.client.orders.update_item(order_id, item_id, request)
        return {"order_id": order_id, "order_item_id": item.id, "status": item.status}


class OrderMeshCancelOrderOperator(ApprovalGate["models.CancelOrder"], _OrderAction):
    """Cancel a whole order, or chosen items and quantities of it.

    A whole-order cancel happens only when ``items`` is left out. Once given, ``items`` must
    render to a non-empty list: ``None``, ``""``, ``"null"``, ``"None"``, ``[]`` or ``{}`` (e.g. an
    XCom pulled from a misspelt task id) refuses the task before any request; it never cancels
    every item.

    A cancel is never applied twice. Its ``reason`` ends with a marker `` [om:<12 hex>]``
    derived from the task instance (or ``idempotency_key``) and the request (recipe in
    ``operators.idempotency``; without a reason it reads ``cancelled from Airflow``). On a retried
    task (try 2+), and when the answer was lost (``OutcomeUnknownError``), the operator first
    reads the order: the cancel counts as done when the order's audit log records the marker,
    or when the order (whole-order cancel) or every named item (whole-item cancel) is already
    ``Cancelled``. Only otherwise is it sent; after a lost answer with no sign of it, the try
    fails and the retry checks again.

    A cancel can come too late: OrderMesh refuses it (409) once what it names has shipped.
    ``if_shipped="fail"`` (default) fails the task with OrderMesh's message, without retries.
    ``if_shipped="report"`` reads the order back after a 409: when some item the cancel names
    (every item, for a whole-order cancel) has shipped (``PartiallyFulfilled`` or ``Fulfilled``),
    the task succeeds and lists those items under ``shipped_first``; any other conflict still fails.
    A refused request may have cancelled none of what it names (the sandbox refuses it whole), so
    map one task per item (as the returns example does) when each cancel should stand on its own.

    :param order_id: The order.
    :param items: ``[{"itemId", "quantity"}]`` to cancel only these (quantity optional: all of
        the item). Leave it out to cancel the whole order.
    :param reason: Why (kept in the order's history; at most 982 characters, 18 carry the marker).
    :param idempotency_key: Optional, templated: replaces the run in the marker, so that a re-run
        with the same key recognises the cancel as done.
    :param if_shipped: ``"fail"`` or ``"report"``: what a cancel refused because items shipped means.
    :param require_approval_above: ``{currency: amount}``: a cancel worth more (unit price times
        quantity) waits for ``approvers``; see ``operators.approval.gate`` and docs/approvals.md.
    :return: ``{"order_id", "status"}``; with ``if_shipped="report"`` also ``"shipped_first"``, the
        ids of the items that shipped before the cancel reached OrderMesh (``[]`` when it went through);
        with approval settings also ``"approval"`` (who decided what, and when).
    """

    approval_action = "cancel"
    idempotency = guarded(
        "the order's and items' status, and the marker of its reason in the order's audit log"
    )

    template_fields = (*_OrderAction.template_fields, "items", "reason", "idempotency_key", *APPROVAL_FIELDS)
    template_fields_renderers: ClassVar[dict[str, str]] = {"items": "json"}

    def __init__(
        self,
        *,
        order_id: str,
        items: list[dict[str, Any]] | str | Any = NOT_GIVEN,
        reason: str | None = None,
        idempotency_key: str | None = None,
        if_shipped: IfShipped = "fail",
        **kwargs: Any,
    ) -> None:
        super().__init__(order_id=order_id, **kwargs)
        if if_shipped not in IF_SHIPPED:
            raise InvalidArgument(f"if_shipped must be one of {', '.join(IF_SHIPPED)}; got {if_shipped!r}")
        self.items = items
        self.reason = reason
        self.idempotency_key = idempotency_key
        self.if_shipped = if_shipped

    def perform(self, context: Context) -> dict[str, Any]:
        order_id = checked_id(self.order_id, param="order_id")
        request = self._request(context, order_id)
        self.push_link(context, OrderMeshOrderLink, order_id)
        if self.asks_approval:
            return self.with_approval(context, order_id, request)
        return self.send_request(context, order_id, request)

    def send_request(self, context: Context, order_id: str, request: models.CancelOrder) -> dict[str, Any]:
        order, shipped_first = self.send_once(
            context,
            send=lambda: self._cancel(order_id, request),
            applied=lambda: self._cancelled_already(order_id, request),
        )
        if self.if_shipped == "fail":
            return order_result(order)
        return {**order_result(order), "shipped_first": shipped_first}

    def _request(self, context: Context, order_id: str) -> models.CancelOrder:
        """The validated cancel request, its reason carrying the marker of its canonical content."""
        request: dict[str, Any] = {"orderId": order_id}
        if self.items is not NOT_GIVEN:
            refuse_blank(self.items, param="items", widening="the whole order")
            request["items"] = parse_json_text(self.items, param="items")
            refuse_blank(request["items"], param="items", widening="the whole order")
        return self._marked(context, request)

    def _marked(self, context: Context, request: dict[str, Any]) -> models.CancelOrder:
        """The plain cancel ``request`` validated, its reason carrying the marker of its content."""
        check_room_for_marker(self.reason, field="reason")
        if self.reason:  # checked as written: the marker appended below would hide a rendered "None"
            validated_argument(models.CancelOrder, {**request, "reason": self.reason}, param="cancel request")
        plain = validated_argument(models.CancelOrder, request, param="cancel request")
        refuse_duplicates(plain.items or [], lambda c: c.item_id, param="items", what="item")
        self._identity = TaskIdentity.from_context(context, checked_key(self.idempotency_key))
        self._legacy_marker = self._identity.marker("cancel", plain.to_api())[5:-1]
        api = plain.to_api()
        content = {**api, "items": canonical_lines(api["items"])} if "items" in api else api
        marker = self._identity.line_marker("cancel", content)
        reason = f"{self.reason or 'cancelled from Airflow'}{marker}"
        return validated_argument(
            models.CancelOrder, {**plain.to_api(), "reason": reason}, param="cancel request"
        )

    # approval hooks (operators.approval.gate)
    build_request = _request

    def approval_lines(
        self, request: models.CancelOrder, order: models.Order, *, pending_only: bool
    ) -> list[ProposedLine]:
        return approval_lines.cancel_lines(request, order, pending_only=pending_only)

    def approved_request(
        self, context: Context, request: models.CancelOrder, decision: Decision
    ) -> models.CancelOrder:
        order = self.client.orders.get(request.order_id)
        lines = approval_lines.cancel_lines(request, order, pending_only=False)
        return self._marked(context, approval_lines.approved_cancel(request, lines, decision))

    def nothing_sent(self, order_id: str, request: models.CancelOrder) -> dict[str, Any]:
        result = order_result(self.client.orders.get(order_id))
        return result if self.if_shipped == "fail" else {**result, "shipped_first": []}

    def approval_identity_key(self) -> str | None:
        return checked_key(self.idempotency_key)

    def _cancel(self, order_id: str, request: models.CancelOrder) -> tuple[models.Order, list[str]]:
        """Send the cancel: the order and ``[]``, or, refused as too late under ``"report"``, the
        order read back and the named items that shipped."""
        try:
            return self.client.orders.cancel(request), []
        except ConflictError:
            if self.if_shipped == "fail":
                raise
            order = self.client.orders.get(order_id)
            shipped = shipped_items(
                order, None if request.items is None else (c.item_id for c in request.items)
            )
            if not shipped:
                raise
            self.log.warning("too late to cancel: %s shipped before the cancel reached OrderMesh", shipped)
            return order, shipped

    def _cancelled_already(
        self, order_id: str, request: models.CancelOrder
    ) -> tuple[models.Order, list[str]] | None:
        """The order, when it shows this cancel applied (see the class docstring); else None."""
        order = self.client.orders.get(order_id)
        if request.items is None and order.status == OrderStatus.CANCELLED:
            return order, []
        statuses = {item.id: item.status for item in order.items}
        if request.items and all(
            c.quantity is None and statuses.get(c.item_id) == OrderStatus.CANCELLED for c in request.items
        ):
            return order, []
        marker = marker_of(request.reason) or ""
        found = {
            hex12
            for event in self.client.orders.audit_logs(order_id)
            for hex12 in markers_in(event.description) | markers_in(event.new_value)
        }
        if marker in found or self._legacy_marker in found:
            return order, []
        if other_content_under_key(found, marker):
            raise KeyReused(key_name(self._identity), "a cancel with other items or quantities is recorded")
        return None


def shipped_items(order: models.Order, item_ids: Iterable[str] | None) -> list[str]:
    """The ids of the items among ``item_ids`` (None: every item of ``order``) that shipped, in part or whole."""
    wanted = None if item_ids is None else set(item_ids)
    return [
        item.id
        for item in order.items
        if (wanted is None or item.id in wanted) and item.status in DEFAULT_ORDER_STATUSES.shipped
    ]


class OrderMeshCustomerCareHoldOperator(_OrderAction):
    """Put an order on customer-care hold (it stops moving to production until released).

    :param order_id: The order.
    :param reason: Why.
    :return: ``{"order_id", "status"}``.
    """

    idempotency = natural("holding a held order changes nothing")

    template_fields = (*_OrderAction.template_fields, "reason")

    def __init__(self, *, order_id: str, reason: str | None = None, **kwargs: Any) -> None:
        super().__init__(order_id=order_id, **kwargs)
        self.reason = reason

    def perform(self, context: Context) -> dict[str, Any]:
        order_id = checked_id(self.order_id, param="order_id")
        request = validated_argument(
            models.CustomerCareHold, {"reason": self.reason} if self.reason else {}, param="reason"
        )
        self.push_link(context, OrderMeshOrderLink, order_id)
        return order_result(self.client.orders.customer_care_hold(order_id, request.reason))


class OrderMeshRefundOperator(ApprovalGate["models.AddRefund"], _OrderAction):
    """Record refunds of item prices or shipping: ``POST /v1/orders/refund`` (answered 204).

    The request is exactly the documented one: ``{"orderId", "refunds": [{"itemId",
    "isShippingRefund", "amount", "reason"}]}``, validated before sending (amounts > 0).

    A refund is never applied twice. Each line's ``reason`` gets a marker `` [om:<12 hex>]``
    derived from the task instance (or ``idempotency_key``) and the line (recipe in
    ``operators.idempotency``; it takes 18 of the reason's 1,000 characters, so a reason may
    have 982). On a retried task (try 2+), and when the
    answer to the refund request was lost (``OutcomeUnknownError``), the operator reads the
    order's items' ``refundData.refunds`` and leaves out every line whose marker is already
    recorded; if some line's fate is still unknown after a lost answer, the task fails and its
    retry checks again before sending.

    :param order_id: The order.
    :param refunds: The refund lines: a list of dicts or a JSON array.
    :param idempotency_key: Optional, templated (e.g. ``"{{ params.return_id }}"``): replaces the
        run in the markers, so that a re-run with the same key sends no line twice.
    :param require_approval_above: ``{currency: amount}``: refunds totalling more wait for
        ``approvers``, who may approve all, some or none and lower amounts; see
        ``operators.approval.gate`` and docs/approvals.md.
    :return: ``{"order_id", "refunds_sent", "refunds_already_recorded"}``; with approval settings
        also ``"approval"`` (who approved and rejected which lines, and when).
    """

    approval_action = "refund"
    idempotency = guarded(
        "the markers of its lines' reasons in the items' refund records; sends only the lines not recorded"
    )

    template_fields = (*_OrderAction.template_fields, "refunds", "idempotency_key", *APPROVAL_FIELDS)
    template_fields_renderers: ClassVar[dict[str, str]] = {"refunds": "json"}

    def __init__(
        self,
        *,
        order_id: str,
        refunds: list[dict[str, Any]] | str,
        idempotency_key: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(order_id=order_id, **kwargs)
        self.refunds = refunds
        self.idempotency_key = idempotency_key

    def perform(self, context: Context) -> dict[str, Any]:
        order_id = checked_id(self.order_id, param="order_id")
        request = self._request(context, order_id)
        self.push_link(context, OrderMeshOrderLink, order_id)
        if self.asks_approval:
            return self.with_approval(context, order_id, request)
        return self.send_request(context, order_id, request)

    def send_request(self, context: Context, order_id: str, request: models.AddRefund) -> dict[str, Any]:
        order = self.client.orders.get(order_id)
        self.check_against_order(request, order)
        pending = request.refunds
        if self.may_be_done(context):
            pending = self._pending(request, approval_lines.recorded_refund_markers(order))
            self.log.info(
                "retried task or idempotency_key: %d of %d refund lines already recorded",
                len(request.refunds) - len(pending),
                len(request.refunds),
            )
        if pending:
            try:
                self.client.orders.refund(request.model_copy(update={"refunds": pending}))
            except OutcomeUnknownError:
                unrecorded = self._pending(request, self._recorded_markers(order_id))
                if unrecorded:
                    self.log.error(
                        "the refund answer was lost and %d line(s) are not recorded; the retry "
                        "will check again before sending",
                        len(unrecorded),
                    )
                    raise
                self.log.warning("the refund answer was lost, but every line is recorded: applied once")
        return {
            "order_id": order_id,
            "refunds_sent": len(pending),
            "refunds_already_recorded": len(request.refunds) - len(pending),
        }

    def _request(self, context: Context, order_id: str) -> models.AddRefund:
        """The validated refund request, each line's reason carrying its marker.

        A line is identified by its item and kind (price or shipping), the operation by its lines'
        items, kinds and amounts in any order (reasons are words about it, not part of it).
        """
        refunds = parse_json_text(self.refunds, param="refunds")
        plain = validated_argument(
            models.AddRefund, {"orderId": order_id, "refunds": refunds}, param="refund request"
        )
        for index, line in enumerate(plain.refunds):
            check_room_for_marker(line.reason, field=f"refunds.{index}.reason")
        refuse_duplicates(plain.refunds, _refund_line, param="refunds", what="item and kind")
        self._identity = identity = TaskIdentity.from_context(context, checked_key(self.idempotency_key))
        lines = [r.to_api() for r in plain.refunds]
        self._legacy = {identity.marker("refund", i, line)[5:-1]: i for i, line in enumerate(lines)}
        content = canonical_lines({k: v for k, v in line.items() if k != "reason"} for line in lines)
        marked = [
            {**line, "reason": line["reason"] + identity.line_marker("refund", content, _refund_line(r))}
            for line, r in zip(lines, plain.refunds, strict=True)
        ]
        return validated_argument(
            models.AddRefund, {"orderId": plain.order_id, "refunds": marked}, param="refund request"
        )

    def check_against_order(self, request: models.AddRefund, order: models.Order) -> None:
        """Refuse amounts with more decimals than the order's currency has (4.995 USD), before sending.

        Every path to the API passes here: a plain refund, one below the approval threshold, and the
        amounts an approver lowered.
        """
        currency = order.currency_code
        if not currency:
            self.log.warning("order %s names no currency; refund amounts' decimals are not checked", order.id)
            return
        problems = [
            f"refunds.{index}.amount: {problem}"
            for index, line in enumerate(request.refunds)
            if (problem := money_decimals_problem(line.amount, currency))
        ]
        if problems:
            raise InvalidArgument("; ".join(problems) + "; nothing was sent")

    def _recorded_markers(self, order_id: str) -> set[str]:
        """The markers of the refunds the order's items record."""
        return approval_lines.recorded_refund_markers(self.client.orders.get(order_id))

    # approval hooks (operators.approval.gate)
    build_request = _request

    def approval_lines(
        self, request: models.AddRefund, order: models.Order, *, pending_only: bool
    ) -> list[ProposedLine]:
        return approval_lines.refund_lines(request, order, pending_only=pending_only)

    def approved_request(
        self, context: Context, request: models.AddRefund, decision: Decision
    ) -> models.AddRefund:
        return approval_lines.approved_refund(request, decision)

    def nothing_sent(self, order_id: str, request: models.AddRefund) -> dict[str, Any]:
        return {"order_id": order_id, "refunds_sent": 0, "refunds_already_recorded": 0}

    def approval_identity_key(self) -> str | None:
        return checked_key(self.idempotency_key)

    def _pending(self, request: models.AddRefund, recorded: set[str]) -> list[models.RefundItem]:
        """The lines of ``request`` not recorded yet; refused when its key recorded other content."""
        legacy_recorded = {i for hex12, i in self._legacy.items() if hex12 in recorded}
        pending = [
            line
            for i, line in enumerate(request.refunds)
            if marker_of(line.reason) not in recorded and i not in legacy_recorded
        ]
        if pending and other_content_under_key(recorded, marker_of(pending[0].reason) or ""):
            raise KeyReused(
                key_name(self._identity), "refunds with other items, kinds or amounts are recorded"
            )
        return pending


def _refund_line(line: models.RefundItem) -> tuple[str, bool]:
    """What identifies a refund line within one operation: its item and kind (price or shipping)."""
    return (line.item_id, bool(line.is_shipping_refund))


class OrderMeshSearchOrdersOperator(OrderMeshSearchOperator):
    """Find orders by filters, paging through every result up to ``max_results``.

    :param filters: ``OrderSearch`` filters, e.g. ``{"status": ["Open"], "createdFrom": "..."}``.
    :param max_results: Stop after this many (default 1000; None for all).
    :param fields: None to return order ids; else a list of fields (e.g. ``["id", "status"]``)
        to return one small dict per order.
    :return: A list of ids or of small dicts, ready for ``.partial().expand()``.
    """

    lineage_reads = ("orders",)

    def filter_model(self) -> type[models.OrderSearch]:
        return models.OrderSearch

    def record_model(self) -> type[models.Order]:
        return models.Order

    def iterate(self, filters: Any, *, limit: int | None) -> Any:
        return self.client.orders.search(filters, page_size=self.page_size, max_items=limit)
