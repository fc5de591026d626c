"""Exactly once: the one idempotency rule of the operators, and the keys and markers behind it.

Every operator declares its class in ``idempotency`` (a ``Rule``), where it is defined:

* ``natural``: sending it twice leaves the same state (a PATCH, a hold of a held order);
* ``guarded``: on any try that may follow an applied one (a retried or cleared task, a run
  given an ``idempotency_key``, a lost answer) the operator reads OrderMesh first (a safeId, a
  marker in a reason, refund records, audit logs, tracking numbers, where items sit) and sends
  only what is missing;
* ``unguardable``: no read can tell, so a lost answer fails the task without Airflow retries,
  naming what to check by hand (``OrderMeshBaseOperator.execute``);
* ``read_only``: changes nothing.

An idempotency key identifies one business operation, as Stripe's keys do: the same key with the
same content (compared canonically: line order, key order and number formatting do not matter)
is done; the same key with different content is refused before anything is sent, naming the key
and what differs. Lines inside an operation are identified by meaning (item and kind), never by
position. The content is recorded where a re-run in another process can read it: in OrderMesh.

safeIds (44 characters of ``[a-z0-9-]``, within the API's 64 of ``[A-Za-z0-9_.:-]``), first match:

* the order's own ``safeId``;
* with ``idempotency_key``: ``"afk-" + sha256(dag_id ␟ task_id ␟ "key:"+key ␟ -1)[:40]``;
* with ``externalId`` (the merchant's own reference, a natural key): ``"ext-" +
  sha256("merchant" ␟ merchantId ␟ "externalId" ␟ externalId)[:40]``, the same in every DAG;
* else, from the task instance (retries within one run): ``"af-" + sha256(dag_id ␟ task_id ␟
  run_id ␟ map_index [␟ index])[:24] + "-" + sha256(canonical order)[:16]``,

where ␟ is U+001F, ``index`` the order's position in a bulk input, and the canonical order the
validated request in API field names without ``safeId``, as JSON with sorted keys and no spaces.
An order created under a key (the first two) records its content in ``meta["omContent"]``: a
short hash per top-level field (``fingerprint``), which names the fields that differ.

Markers `` [om:<12 hex>]`` end a reason (18 of its 1,000 characters): 4 hex of the operation's key
(task instance or ``idempotency_key``), 4 of its canonical content, 4 of the line (refunds: item and
kind; a cancel has one line). The API keeps refund reasons with the refund records and shipment and
order reasons in the audit log, so a later try finds what its key applied, with which content.
Markers of the first recipe (``sha256(task instance ␟ kind ␟ index ␟ line)[:12]``) are still
recognised, so a retry that straddles an upgrade does not apply anything twice.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from airflow_provider_ordermesh.compat import AirflowFailException

_SEP = "\x1f"
MARKER_LENGTH = len(" [om:123456789abc]")
"""Characters a marker takes from a reason (18 of the API's 1,000)."""
REASON_MAX = 1000
"""The API's limit on a reason, marker included (``models._base.Reason``)."""
MARKER_PATTERN = re.compile(r" \[om:([0-9a-f]{12})\]$")
ANY_MARKER = re.compile(r"\[om:([0-9a-f]{12})\]")
CONTENT_META_KEY = "omContent"
"""The ``meta`` entry in which an order created under a key records its content's ``fingerprint``."""


# --- the rule ------------------------------------------------------------------------------------


class Idempotency(Enum):
    """The four classes of the rule (see the module docstring)."""

    NATURAL = "naturally idempotent"
    GUARDED = "guarded"
    UNGUARDABLE = "unguardable"
    READ_ONLY = "read-only"


@dataclass(frozen=True)
class Rule:
    """An operator's class under the rule, and why (the docs' table quotes ``why``)."""

    kind: Idempotency
    why: str
    check_by_hand: str = ""
    """For ``unguardable``: what a person checks after a lost answer (``{…}`` filled from the task)."""


def natural(why: str) -> Rule:
    """Sending it twice leaves the same state."""
    return Rule(Idempotency.NATURAL, why)


def guarded(why: str) -> Rule:
    """A later try reads OrderMesh and sends only what is missing; ``why`` names what it reads."""
    return Rule(Idempotency.GUARDED, why)


def unguardable(why: str, *, check_by_hand: str) -> Rule:
    """No read can tell: a lost answer fails without retries, naming ``check_by_hand``."""
    return Rule(Idempotency.UNGUARDABLE, why, check_by_hand)


def read_only(why: str = "reads only") -> Rule:
    """Changes nothing in OrderMesh."""
    return Rule(Idempotency.READ_ONLY, why)


# --- canonical content ---------------------------------------------------------------------------


def _canonical_value(value: Any) -> Any:
    """Numbers spelled one way (``5``, ``5.0`` and ``"5.00"`` stay apart only by type: 5 == 5.0)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value)).normalize()
        return int(number) if number == number.to_integral_value() else float(number)
    if isinstance(value, Mapping):
        return {str(k): _canonical_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical_value(v) for v in value]
    return value


def canonical_json(data: Any) -> str:
    """One spelling of a JSON value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_lines(lines: Iterable[Mapping[str, Any]]) -> list[Any]:
    """Lines of an operation in one order (their canonical JSON's): line order means nothing."""
    return sorted((_canonical_value(line) for line in lines), key=canonical_json)


def canonical_content(order: dict[str, Any]) -> str:
    """What the second part of a safeId hashes: the order (API field names) without ``safeId``, canonical."""
    return canonical_json({k: v for k, v in order.items() if k != "safeId"})


def fingerprint(content: Mapping[str, Any]) -> str:
    """``field=<6 hex>`` per top-level field, comma-separated and sorted: what differs can be named.

    ``content`` is a validated request in API field names: its model already spelled each number
    one way, so its canonical JSON is hashed as it is.
    """
    return ",".join(f"{name}={_sha256(canonical_json(value))[:6]}" for name, value in sorted(content.items()))


def fingerprint_differences(recorded: str, wanted: str) -> list[str]:
    """The fields whose hashes differ between two ``fingerprint``s (present in one only included)."""
    old = dict(part.split("=", 1) for part in recorded.split(",") if "=" in part)
    new = dict(part.split("=", 1) for part in wanted.split(",") if "=" in part)
    return sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))


def with_safe_id_json(canonical: str, safe_id: str) -> bytes:
    """The order's request JSON: its ``canonical_content`` (an object) with ``safeId`` added first.

    Key order means nothing to the API, so the text hashed into the safeId is the text sent, and
    an order with a derived safeId is encoded once.
    """
    head = '{"safeId":' + json.dumps(safe_id)
    return (head + ("}" if canonical == "{}" else "," + canonical[1:])).encode()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def natural_safe_id(merchant_id: str | None, external_id: str) -> str:
    """The safeId an order with the merchant's own reference ``external_id`` gets in every DAG and run."""
    return "ext-" + _sha256(_SEP.join(("merchant", merchant_id or "", "externalId", external_id)))[:40]


# --- keys of a task instance ---------------------------------------------------------------------


@dataclass(frozen=True)
class TaskIdentity:
    """What identifies a task instance across its tries, or, with a key, one business operation."""

    dag_id: str
    task_id: str
    run_id: str
    map_index: int = -1

    @classmethod
    def from_context(cls, context: Any, idempotency_key: str | None = None) -> TaskIdentity:
        """The identity of the running task instance, or, with ``idempotency_key``, of that key.

        A key replaces the run and the map index, so the same key in any run of this DAG's task
        derives the same safeIds and markers: a re-run is then recognised as already done.
        """
        ti = context["ti"]
        if idempotency_key is not None:
            return cls(dag_id=ti.dag_id, task_id=ti.task_id, run_id=f"key:{idempotency_key}")
        map_index = getattr(ti, "map_index", -1)
        return cls(
            dag_id=ti.dag_id,
            task_id=ti.task_id,
            run_id=ti.run_id,
            map_index=-1 if map_index is None else int(map_index),
        )

    @property
    def keyed(self) -> bool:
        """True for the identity of an ``idempotency_key`` (rather than of one run's task instance)."""
        return self.run_id.startswith("key:")

    def _key(self, *parts: object) -> str:
        return _SEP.join(str(p) for p in (self.dag_id, self.task_id, self.run_id, self.map_index, *parts))

    def safe_id(self, order: dict[str, Any], *, index: int | None = None) -> str:
        """The task-instance safeId for ``order`` (API field names); see the module docstring."""
        return self.safe_id_of_canonical(canonical_content(order), index=index)

    def safe_id_of_canonical(self, canonical: str, *, index: int | None = None) -> str:
        """The safeId of an order given as ``canonical_content(order)``, for callers that keep that text."""
        identity = self._key() if index is None else self._key(index)
        return f"af-{_sha256(identity)[:24]}-{_sha256(canonical)[:16]}"

    def key_safe_id(self) -> str:
        """The safeId of the one order an ``idempotency_key`` stands for: the key alone, not the content."""
        return "afk-" + _sha256(self._key())[:40]

    def marker(self, kind: str, *parts: Any) -> str:
        """A marker of the first recipe (``kind`` and its canonical ``parts``); read, no longer written."""
        return f" [om:{_sha256(self._key(kind, *(canonical_json(p) for p in parts)))[:12]}]"

    def operation_prefix(self, kind: str) -> str:
        """The first 4 hex of every marker this key writes for ``kind``: which markers are its own."""
        return _sha256(self._key(kind))[:4]

    def line_marker(self, kind: str, content: Any, line: Any = None) -> str:
        """`` [om:<key 4><content 4><line 4>]`` for ``line`` (its identity) of an operation with ``content``."""
        content_hash = _sha256(canonical_json(_canonical_value(content)))[:4]
        line_hash = _sha256(canonical_json(_canonical_value(line)))[:4]
        return f" [om:{self.operation_prefix(kind)}{content_hash}{line_hash}]"


@dataclass(frozen=True)
class Marker:
    """A marker read back, split into its three parts."""

    key: str
    content: str
    line: str

    @classmethod
    def parse(cls, hex12: str) -> Marker:
        """The parts of a 12-hex marker (see ``TaskIdentity.line_marker``)."""
        return cls(hex12[:4], hex12[4:8], hex12[8:])


def check_room_for_marker(reason: str | None, *, field: str) -> None:
    """Refuse a reason too long to carry its marker, stating the usable length."""
    usable = REASON_MAX - MARKER_LENGTH
    if reason is not None and len(reason.strip()) > usable:
        raise AirflowFailException(
            f"{field}: at most {usable} characters ({MARKER_LENGTH} of the API's {REASON_MAX} carry the "
            f"marker that keeps it from being applied twice); got {len(reason.strip())}"
        )


def marker_of(reason: str | None) -> str | None:
    """The 12-hex marker at the end of a stored reason, if any."""
    match = MARKER_PATTERN.search(reason or "")
    return match.group(1) if match else None


def markers_in(text: str | None) -> set[str]:
    """Every 12-hex marker anywhere in ``text`` (an audit event quotes the reason inside its own words)."""
    return set(ANY_MARKER.findall(text or ""))


def other_content_under_key(found: Iterable[str], wanted: str) -> bool:
    """True when ``found`` markers include one of ``wanted``'s key with other content: the key was used
    for a different operation."""
    mine = Marker.parse(wanted)
    return any(
        (theirs := Marker.parse(hex12)).key == mine.key and theirs.content != mine.content for hex12 in found
    )


class KeyReused(AirflowFailException):
    """The same idempotency key with different content: refused before anything is sent."""

    def __init__(self, key_name: str, differs: str) -> None:
        super().__init__(
            f"{key_name} was already used for an operation with different content ({differs}); nothing "
            "was sent. A key stands for one operation: use a new key for a new operation, or change "
            "what is already in OrderMesh with an update"
        )


def key_name(identity: TaskIdentity, what: str = "idempotency_key") -> str:
    """How a refusal names the key: the ``idempotency_key`` given, or this task instance."""
    if identity.keyed:
        return f"{what} {identity.run_id[len('key:') :]!r}"
    return (
        f"task {identity.dag_id}.{identity.task_id} in run {identity.run_id} (map index {identity.map_index})"
    )


# --- duplicates within one input -----------------------------------------------------------------


class FirstSeen:
    """Where each identity of one input first appeared, and each later position that repeats one.

    The one duplicate check of the operators: a list argument naming one thing twice would act
    twice, so the callers refuse it before anything is sent, naming both positions.
    """

    def __init__(self) -> None:
        self._first: dict[str, int] = {}
        self.repeats: list[tuple[int, int, str]] = []
        """``(first position, repeating position, the identity as canonical JSON)``."""

    def see(self, index: int, identity: Any) -> None:
        """Note ``identity`` at ``index`` (None identifies nothing and is skipped)."""
        if identity is None:
            return
        spelled = identity if isinstance(identity, str) else canonical_json(_canonical_value(identity))
        earlier = self._first.setdefault(spelled, index)
        if earlier != index:
            self.repeats.append((earlier, index, spelled))


def refuse_duplicates(items: Iterable[Any], identity: Callable[[Any], Any], *, param: str, what: str) -> None:
    """Refuse an input naming the same thing twice (it would act twice), naming both positions.

    ``identity`` gives an item's identity (None: the item identifies nothing, skip it); ``what``
    says in words what the identity is (e.g. "item and kind").
    """
    seen = FirstSeen()
    for index, item in enumerate(items):
        seen.see(index, identity(item))
    if seen.repeats:
        listed = "; ".join(
            f"{param}[{first}] and {param}[{later}] name the same {what} ({ident})"
            for first, later, ident in seen.repeats[:20]
        )
        more = len(seen.repeats) - 20
        raise AirflowFailException(
            f"{param}: {listed}{f'; and {more} more' if more > 0 else ''}. Nothing was sent: each "
            "would be applied, so merge them into one entry"
        )
