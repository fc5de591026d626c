"""What each kind of answer becomes: the reader and the verdict on answers the sandbox never gives."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests_mock
from pydantic import SecretStr

from airflow_provider_ordermesh.client import ClientCredentials, OrderMeshClient
from airflow_provider_ordermesh.client.endpoints import ENDPOINTS
from airflow_provider_ordermesh.probe.plan import EXPECTED, IdSets, Read
from airflow_provider_ordermesh.probe.reader import AuthenticationFailedError, Reader, ReadOnlySession
from airflow_provider_ordermesh.probe.runner import run_read
from airflow_provider_ordermesh.probe.verdict import Verdict

BASE_URL = "https://api.ordermesh.test"
LIST = ENDPOINTS["notes.list"]
TOKEN_URL = BASE_URL + ENDPOINTS["auth.client_token"].path


@pytest.fixture
def wire() -> Iterator[tuple[requests_mock.Mocker, Reader]]:
    session = ReadOnlySession()
    client = OrderMeshClient(
        BASE_URL, ClientCredentials("probe-client", SecretStr("probe-secret")), session=session, max_retries=0
    )
    with requests_mock.Mocker(session=session) as mock:
        mock.post(TOKEN_URL, json={"accessToken": "probe-token", "expiresIn": 3600})
        yield mock, Reader(client, session)


def check(reader: Reader) -> Any:
    """Run the notes list read once, as the probe would."""
    return run_read(reader, Read(LIST, EXPECTED[LIST.name]), {}, IdSets({}))


@pytest.mark.parametrize(
    ("answer", "verdict", "status", "parsed", "why"),
    [
        (
            {"status_code": 405, "json": {"message": "Method Not Allowed"}},
            Verdict.PATH_MISSING,
            405,
            None,
            "HTTP 405",
        ),
        ({"status_code": 404, "text": "<html>no</html>"}, Verdict.PATH_MISSING, 404, None, "HTTP 404"),
        (
            {"status_code": 403, "json": {"message": "not your merchant"}},
            Verdict.FAILED,
            403,
            None,
            "HTTP 403",
        ),
        ({"status_code": 500, "json": {}}, Verdict.FAILED, 500, None, "HTTP 500"),
        (
            {"status_code": 200, "text": "<html>portal login</html>"},
            Verdict.SHAPE_DIFFERS,
            200,
            False,
            "not JSON",
        ),
        ({"status_code": 204}, Verdict.SHAPE_DIFFERS, 204, False, "got null"),
        ({"status_code": 200, "json": [{"id": "n1"}]}, Verdict.SHAPE_DIFFERS, 200, False, "got a list of 1"),
        ({"status_code": 200, "json": {"notes": [{"id": "n1"}], "page": 1}}, Verdict.MATCHES, 200, True, ""),
    ],
)
def test_answers_become_verdicts(
    wire: Any, answer: dict[str, Any], verdict: Verdict, status: int, parsed: bool | None, why: str
) -> None:
    mock, reader = wire
    mock.get(BASE_URL + LIST.path, **answer)
    result = check(reader)
    assert (result.verdict, result.status, result.parsed) == (verdict, status, parsed)
    assert why in result.why


def test_the_api_message_goes_to_the_table_but_not_into_the_reason(wire: Any) -> None:
    mock, reader = wire
    mock.get(BASE_URL + LIST.path, status_code=403, json={"message": "merchant Grace has no access"})
    result = check(reader)
    assert result.api_message and "Grace" in result.api_message and "Grace" not in result.why


def test_no_answer_at_all_is_a_failure_not_a_missing_path(wire: Any) -> None:
    import requests

    mock, reader = wire
    mock.get(BASE_URL + LIST.path, exc=requests.exceptions.ConnectTimeout)
    result = check(reader)
    assert (result.verdict, result.status) == (Verdict.FAILED, None) and "no HTTP answer" in result.why


def test_a_refused_token_stops_the_probe(wire: Any) -> None:
    mock, reader = wire
    mock.post(TOKEN_URL, status_code=401, json={"statusCode": 401})
    mock.get(BASE_URL + LIST.path, json={"notes": []})
    with pytest.raises(AuthenticationFailedError, match="401"):
        check(reader)
    assert not any(r.method == "GET" for r in mock.request_history)
