"""The security suite: hostile deliveries, each refused with the right status, storing nothing, logging
no payload value, while the API server's own routes keep answering.

Every body carries ``MARKER`` (a customer's name, as real payloads would): it must appear in no log
line above DEBUG and in no answer. The receiver is the real plugin app inside Airflow's own API app,
on a migrated metadata DB; the secrets come from connections.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from airflow_provider_ordermesh.receiver.body import MAX_BODY_BYTES

from .conftest import (
    MARKER,
    NEW_KEY,
    OLD_KEY,
    TOKEN,
    asset_events,
    encode,
    order_creation,
    signed_headers,
    token_headers,
)

pytestmark = pytest.mark.airflow_db

PREFIX = "/ordermesh/webhooks"
GOOD = encode(order_creation())


def nested(depth: int) -> bytes:
    inner: Any = {"EventType": "OrderCreation", "Note": MARKER}
    for _ in range(depth - 1):
        inner = {"Notification": inner}
    return encode(inner)


def one_byte_off(text: str, position: int) -> str:
    return text[:position] + chr(ord(text[position]) ^ 1) + text[position + 1 :]


def with_signature(body: bytes, **kwargs: Any) -> dict[str, str]:
    return signed_headers(body, **kwargs)


def tampered_signature(body: bytes) -> dict[str, str]:
    headers = signed_headers(body)
    scheme, _, value = headers["webhook-signature"].partition(",")
    headers["webhook-signature"] = f"{scheme},{one_byte_off(value, 3)}"
    return headers


def swapped_id(body: bytes) -> dict[str, str]:
    headers = signed_headers(body, delivery_id="msg_signed")
    headers["webhook-id"] = "msg_other"
    return headers


def oversized_stream() -> Iterator[bytes]:
    yield b'{"EventType": "OrderCreation", "Pad": "' + MARKER.encode()
    for _ in range(MAX_BODY_BYTES // 1024 + 1):
        yield b"x" * 1024
    yield b'"}'


@dataclass(frozen=True)
class Hostile:
    """One hostile delivery and the status it must get."""

    name: str
    status: int
    body: bytes | Callable[[], Iterator[bytes]] = GOOD
    headers: Callable[[bytes], dict[str, str]] | dict[str, str] = field(default_factory=token_headers)
    endpoint: str = "shop"
    path: str | None = None
    method: str = "POST"


def payload(**fields: Any) -> bytes:
    return encode(order_creation(**fields))


HOSTILE = [
    # who is sending: the shared token
    Hostile("no token", 401, headers={"Content-Type": "application/json"}),
    Hostile("wrong token", 401, headers=token_headers("tok_not_the_right_one_at_all")),
    Hostile(
        "token off by one byte at the end", 401, headers=token_headers(one_byte_off(TOKEN, len(TOKEN) - 1))
    ),
    Hostile("token off by one byte at the start", 401, headers=token_headers(one_byte_off(TOKEN, 0))),
    Hostile("token truncated", 401, headers=token_headers(TOKEN[:-1])),
    Hostile("token with a byte more", 401, headers=token_headers(TOKEN + "0")),
    Hostile("empty token", 401, headers=token_headers("")),
    Hostile("token in upper case", 401, headers=token_headers(TOKEN.upper())),
    Hostile(
        "token as a bearer token instead",
        401,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    ),
    Hostile(
        "token in the query string",
        400,
        headers={"Content-Type": "application/json"},
        path=f"{PREFIX}/shop?token={TOKEN}",
    ),
    Hostile("token in header and query string", 400, path=f"{PREFIX}/shop?token={TOKEN}"),
    Hostile("any query string", 400, path=f"{PREFIX}/shop?debug=1"),
    # where it is sent
    Hostile("unknown endpoint", 404, endpoint="other-shop"),
    Hostile("endpoint name in another case", 404, endpoint="Shop"),
    Hostile("a path below an endpoint", 404, path=f"{PREFIX}/shop/extra"),
    # outside the prefix, Airflow's own router answers: its UI catch-all takes GET only
    Hostile("a path outside the receiver's prefix", 405, path="/ordermesh/hooks/shop"),
    Hostile("a traversal out of the prefix", 404, path=f"{PREFIX}/..%2F..%2Fapi%2Fv2%2Fassets"),
    Hostile("no endpoint at all", 404, path=f"{PREFIX}/"),
    Hostile("GET instead of POST", 405, method="GET"),
    Hostile("PUT instead of POST", 405, method="PUT"),
    Hostile("an endpoint whose connection is misconfigured", 503, endpoint="broken"),
    # what is sent: type, size, encoding, shape
    Hostile("no content type", 415, headers={"x-ordermesh-webhook-token": TOKEN}),
    Hostile("text/plain", 415, headers={**token_headers(), "Content-Type": "text/plain"}),
    Hostile("a form", 415, headers={**token_headers(), "Content-Type": "application/x-www-form-urlencoded"}),
    Hostile("multipart", 415, headers={**token_headers(), "Content-Type": "multipart/form-data; boundary=x"}),
    Hostile(
        "JSON in latin-1",
        415,
        headers={**token_headers(), "Content-Type": "application/json; charset=latin-1"},
    ),
    Hostile(
        "oversized body", 413, body=b'{"EventType": "OrderCreation", "Pad": "' + b"x" * MAX_BODY_BYTES + b'"}'
    ),
    Hostile("oversized body streamed without a length", 413, body=oversized_stream),
    Hostile("truncated JSON", 400, body=GOOD[: len(GOOD) // 2]),
    Hostile("empty body", 400, body=b""),
    Hostile(
        "not UTF-8", 400, body=f'{{"EventType": "OrderCreation", "Note": "{MARKER}é"}}'.encode("latin-1")
    ),
    Hostile("UTF-16", 400, body=json.dumps(order_creation()).encode("utf-16")),
    Hostile("nested one level too deep", 400, body=nested(9)),
    Hostile("nested ten thousand levels deep", 400, body=b"[" * 10_000 + b"]" * 10_000),
    Hostile(
        "duplicate keys",
        400,
        body=f'{{"EventType": "OrderCreation", "EventType": "ShipmentCreated", "Note": "{MARKER}"}}'.encode(),
    ),
    Hostile(
        "duplicate keys inside the envelope",
        400,
        body=f'{{"Notification": {{"OrderId": "a", "OrderId": "{MARKER}", "EventType": "X"}}}}'.encode(),
    ),
    Hostile(
        "NaN", 400, body=f'{{"EventType": "OrderCreation", "ResponseCode": NaN, "N": "{MARKER}"}}'.encode()
    ),
    Hostile("a JSON array", 400, body=encode([order_creation()])),
    Hostile("a JSON string", 400, body=encode(MARKER)),
    Hostile("no EventType", 422, body=encode({"OrderId": MARKER})),
    Hostile("EventType a number", 422, body=payload(EventType=7)),
    Hostile("EventType a path", 422, body=payload(EventType="../orders")),
    Hostile("EventType empty", 422, body=payload(EventType="")),
    Hostile("EventType with URL characters", 422, body=payload(EventType="Order Creation?x=1#y")),
    Hostile("RequestId too long", 422, body=payload(RequestId="r" * 300)),
    Hostile("IsSuccessful not a boolean", 422, body=payload(IsSuccessful="maybe")),
    # signed endpoints: Standard Webhooks
    Hostile(
        "signed endpoint, no signature", 401, endpoint="signed", headers={"Content-Type": "application/json"}
    ),
    Hostile("signed endpoint, only the token", 401, endpoint="signed", headers=token_headers()),
    Hostile(
        "signed with an unknown key",
        401,
        endpoint="signed",
        headers=lambda body: with_signature(body, key=b"attacker-key-0123456789abcdef"),
    ),
    Hostile("signature off by one byte", 401, endpoint="signed", headers=tampered_signature),
    Hostile(
        "stale timestamp",
        401,
        endpoint="signed",
        headers=lambda body: with_signature(body, timestamp=int(time.time()) - 301),
    ),
    Hostile(
        "future timestamp",
        401,
        endpoint="signed",
        headers=lambda body: with_signature(body, timestamp=int(time.time()) + 301),
    ),
    Hostile(
        "timestamp not a number",
        401,
        endpoint="signed",
        headers=lambda body: {**with_signature(body), "webhook-timestamp": "soon"},
    ),
    Hostile(
        "signature over another body",
        401,
        endpoint="signed",
        headers=lambda body: with_signature(body + b" "),
    ),
    Hostile(
        "signature of an unknown version",
        401,
        endpoint="signed",
        headers=lambda body: {
            **with_signature(body),
            "webhook-signature": with_signature(body)["webhook-signature"].replace("v1,", "v2,"),
        },
    ),
    Hostile(
        "signature not base64",
        401,
        endpoint="signed",
        headers=lambda body: {**with_signature(body), "webhook-signature": "v1,!!!not-base64!!!"},
    ),
    Hostile("webhook-id other than the one signed", 401, endpoint="signed", headers=swapped_id),
    Hostile(
        "webhook-id with spaces",
        401,
        endpoint="signed",
        headers=lambda body: with_signature(body, delivery_id="msg with spaces"),
    ),
    Hostile(
        "old key rotated out of the 'both' endpoint",
        401,
        endpoint="both",
        headers=lambda body: {**with_signature(body, key=OLD_KEY), "x-ordermesh-webhook-token": TOKEN},
    ),
    Hostile(
        "valid signature, wrong token",
        401,
        endpoint="both",
        headers=lambda body: {**with_signature(body, key=NEW_KEY), "x-ordermesh-webhook-token": "nope"},
    ),
    Hostile("valid token, no signature", 401, endpoint="both", headers=token_headers()),
]


def test_the_suite_is_at_least_forty_deliveries_strong() -> None:
    assert len(HOSTILE) >= 40
    assert len({case.name for case in HOSTILE}) == len(HOSTILE)


def send(client: Any, case: Hostile) -> Any:
    body = case.body() if callable(case.body) else case.body
    raw = body if isinstance(body, bytes) else b""
    headers = case.headers(raw) if callable(case.headers) else case.headers
    return client.request(
        case.method, case.path or f"{PREFIX}/{case.endpoint}", content=body, headers=headers
    )


@pytest.mark.parametrize("case", HOSTILE, ids=lambda case: case.name)
def test_a_hostile_delivery_is_refused_and_stores_nothing(
    case: Hostile, client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    before = len(asset_events())

    answer = send(client, case)

    assert answer.status_code == case.status, answer.text
    assert MARKER not in answer.text
    assert len(asset_events()) == before
    logged = [r.getMessage() for r in caplog.records if r.levelno > logging.DEBUG]
    assert not [line for line in logged if MARKER in line]
    assert client.get("/api/v2/monitor/health").status_code == 200  # Airflow's own routes still answer
