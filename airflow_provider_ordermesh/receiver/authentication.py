"""Who may deliver: the endpoint's shared token and, when configured, a Standard Webhooks signature.

Both checks compare in constant time and raise ``Unauthenticated`` with a reason that names no
secret and no payload value. The signature check is a scheme behind one small protocol, so that
another signing scheme (should OrderMesh publish one) is one class more.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Protocol

TOKEN_HEADER = "x-ordermesh-webhook-token"
"""The header that carries the endpoint's shared token (never the URL: URLs reach access logs)."""

DELIVERY_ID = re.compile(r"[\x21-\x7e]{1,128}")
"""A delivery id we keep: printable ASCII without spaces, at most 128 characters."""


class Unauthenticated(Exception):
    """The delivery did not prove it comes from OrderMesh; the message says which check failed."""


def check_token(headers: Mapping[str, str], tokens: tuple[bytes, ...]) -> None:
    """Accept when the token header equals one of ``tokens`` (each compared in constant time)."""
    given = headers.get(TOKEN_HEADER)
    if given is None:
        raise Unauthenticated(f"no {TOKEN_HEADER} header")
    given_bytes = given.encode("utf-8", "surrogateescape")
    matches = [hmac.compare_digest(given_bytes, token) for token in tokens]  # all compared, no early exit
    if not any(matches):
        raise Unauthenticated(f"the {TOKEN_HEADER} header matches no token of this endpoint")


class SignatureScheme(Protocol):
    """A way deliveries are signed; ``verify`` returns the delivery id the signature covers."""

    def verify(self, headers: Mapping[str, str], body: bytes, *, now: float) -> str: ...


class StandardWebhooks:
    """Standard Webhooks (standardwebhooks.com): ``webhook-id``, ``webhook-timestamp``, ``webhook-signature``.

    The signature is ``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">``; the header may list
    several, space-separated, and the endpoint may hold several keys (rotation): any pair that matches
    is enough. A timestamp further than ``tolerance`` seconds from now, in either direction, is refused
    (a replay window, together with the delivery-id check that follows).
    """

    ID_HEADER = "webhook-id"
    TIMESTAMP_HEADER = "webhook-timestamp"
    SIGNATURE_HEADER = "webhook-signature"

    def __init__(self, keys: tuple[bytes, ...], *, tolerance: int) -> None:
        self._keys = keys
        self._tolerance = tolerance

    def __repr__(self) -> str:
        return f"StandardWebhooks(keys=<{len(self._keys)} hidden>, tolerance={self._tolerance})"

    def verify(self, headers: Mapping[str, str], body: bytes, *, now: float) -> str:
        """Check the signature headers against ``body``; the ``webhook-id`` when they hold."""
        delivery_id = headers.get(self.ID_HEADER)
        timestamp = headers.get(self.TIMESTAMP_HEADER)
        signatures = headers.get(self.SIGNATURE_HEADER)
        if delivery_id is None or timestamp is None or signatures is None:
            raise Unauthenticated(
                f"a signed endpoint needs the {self.ID_HEADER}, {self.TIMESTAMP_HEADER} and "
                f"{self.SIGNATURE_HEADER} headers"
            )
        if not DELIVERY_ID.fullmatch(delivery_id):
            raise Unauthenticated(f"{self.ID_HEADER} is not 1 to 128 printable ASCII characters")
        if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
            raise Unauthenticated(f"{self.TIMESTAMP_HEADER} is not a Unix time in seconds")
        if abs(now - int(timestamp)) > self._tolerance:
            raise Unauthenticated(
                f"{self.TIMESTAMP_HEADER} is more than {self._tolerance} s from now (stale, future, or a replay)"
            )
        signed = b".".join((delivery_id.encode(), timestamp.encode(), body))
        expected = [hmac.new(key, signed, hashlib.sha256).digest() for key in self._keys]
        offered = [_decode_v1(part) for part in signatures.split(" ") if part]
        matches = [hmac.compare_digest(o, e) for o in offered if o is not None for e in expected]
        if not any(matches):
            raise Unauthenticated(f"{self.SIGNATURE_HEADER} matches no signing secret of this endpoint")
        return delivery_id


def _decode_v1(part: str) -> bytes | None:
    """The raw bytes of one ``v1,<base64>`` signature; ``None`` for another version or bad base64."""
    version, _, encoded = part.partition(",")
    if version != "v1" or not encoded:
        return None
    try:
        return base64.b64decode(encoded, validate=True)
    except ValueError:
        return None


def sign(key: bytes, delivery_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value for one key: what a sender (the sandbox, a test) puts there."""
    signed = b".".join((delivery_id.encode(), str(timestamp).encode(), body))
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
