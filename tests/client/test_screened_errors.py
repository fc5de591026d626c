"""``client.errors.screened``: an error's structured facts only, never its free text (issue 28's error
facet). The operators' facets over real HTTP are in tests/transfers/test_lineage.py."""

from __future__ import annotations

import pytest

from airflow_provider_ordermesh.client.errors import (
    BadRequestError,
    ConfigurationError,
    OutcomeUnknownError,
    screened,
)
from airflow_provider_ordermesh.models.errors import ErrorBody

EMAIL = "ada.lovelace@example.com"


def test_an_api_error_keeps_status_path_fields_codes_and_request_id_but_not_the_apis_words():
    body = ErrorBody.model_validate(
        {
            "statusCode": 400,
            "message": f"The email {EMAIL} is already used",
            "errors": [
                {"field": "customer.email", "message": f"{EMAIL} is taken", "code": "DUPLICATE_EMAIL"},
                {
                    "propertyName": "shippingAddress.line1",
                    "errorMessage": "1 Main St?",
                    "attemptedValue": "x",
                },
            ],
            "requestId": "req-7",
        }
    )
    error = BadRequestError(
        status=400,
        method="POST",
        path="/v1/orders",
        api_message=body.describe(),
        request_id=body.request_id,
        field_errors=body.field_errors(),
        codes=body.codes(),
    )

    assert EMAIL in str(error)  # the task log's text
    assert screened(error) == (
        "BadRequestError; HTTP 400 to POST /v1/orders; fields customer.email, shippingAddress.line1; "
        "codes DUPLICATE_EMAIL; request id req-7"
    )


def test_a_lost_answer_keeps_method_and_path():
    error = OutcomeUnknownError(f"reset while sending {EMAIL}", method="POST", path="/v1/orders/o-1/refund")
    assert screened(error) == "OutcomeUnknownError; no answer to POST /v1/orders/o-1/refund"


@pytest.mark.parametrize("error", [ValueError(EMAIL), ConfigurationError(f"bad base URL {EMAIL}")])
def test_anything_without_structured_facts_gives_its_type_alone(error):
    assert screened(error) == type(error).__name__


def test_a_wrapper_raised_from_an_ordermesh_error_gives_that_errors_facts():
    try:
        try:
            raise BadRequestError(status=422, method="PUT", path="/v1/orders/o-2", api_message=EMAIL)
        except BadRequestError as exc:
            raise RuntimeError(str(exc)) from exc
    except RuntimeError as wrapper:
        assert screened(wrapper) == "RuntimeError from BadRequestError; HTTP 422 to PUT /v1/orders/o-2"
