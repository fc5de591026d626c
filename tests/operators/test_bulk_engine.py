"""The bulk engine on its own: batching, bounded concurrency and memory, per-item results."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence

import pytest

from airflow_provider_ordermesh.client import BULK_MAX_ITEMS, ServerError
from airflow_provider_ordermesh.client.bulk import BulkEntry, ItemOutcome, outcomes_from_response, run_bulk
from airflow_provider_ordermesh.models.common import BulkResponse


def entries(n: int) -> Iterator[BulkEntry[int]]:
    return (BulkEntry(index=i, ref=f"ref-{i}", item=i) for i in range(n))


def ok_sender(batch: Sequence[BulkEntry[int]]) -> list[ItemOutcome]:
    return [ItemOutcome(e.index, e.ref, id=f"id-{e.item}") for e in batch]


def test_batches_hold_at_most_the_bulk_size_and_ids_keep_input_order():
    sizes: list[int] = []

    def sender(batch):
        sizes.append(len(batch))
        return ok_sender(batch)

    result = run_bulk(entries(250), sender, max_concurrency=3)

    assert sorted(sizes) == [50, 100, 100]
    assert result.ids == [f"id-{i}" for i in range(250)]
    assert (result.succeeded, result.batches, result.failures) == (250, 3, [])
    assert BULK_MAX_ITEMS == 100


def test_no_more_than_max_concurrency_batches_run_at_once_and_input_is_pulled_lazily():
    lock = threading.Lock()
    running = peak = pulled = 0
    processed = 0
    max_ahead = 0

    def source() -> Iterator[BulkEntry[int]]:
        nonlocal pulled, max_ahead
        for entry in entries(2000):
            pulled += 1
            max_ahead = max(max_ahead, pulled - processed)
            yield entry

    def sender(batch):
        nonlocal running, peak, processed
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.005)
        with lock:
            running -= 1
            processed += len(batch)
        return ok_sender(batch)

    result = run_bulk(source(), sender, max_concurrency=3)

    assert result.succeeded == 2000
    assert peak <= 3
    # Memory stays bounded: the engine never holds more than the batches in flight plus one being filled.
    assert max_ahead <= (3 + 1) * 100


def test_a_batch_that_fails_as_a_whole_makes_each_of_its_items_a_failure_and_the_rest_still_go():
    def sender(batch):
        if batch[0].index == 100:
            raise ServerError(status=503, method="POST", path="/v1/orders/bulk", api_message="down")
        return ok_sender(batch)

    result = run_bulk(entries(300), sender, max_concurrency=2)

    assert result.succeeded == 200 and result.batches == 3
    assert [f.index for f in result.failures] == list(range(100, 200))
    failure = result.failures[0]
    assert failure.ref == "ref-100" and failure.retryable
    assert "503" in failure.message and "down" in failure.message


def test_an_unexpected_error_stops_the_run_instead_of_being_reported_as_item_failures():
    def sender(batch):
        if batch[0].index == 0:
            raise RuntimeError("bug")
        return ok_sender(batch)

    with pytest.raises(RuntimeError, match="bug"):
        run_bulk(entries(500), sender, max_concurrency=1)


def test_per_item_results_are_matched_by_index_and_carry_the_api_message():
    batch = [BulkEntry(index=10 + i, ref=f"s{i}", item=i) for i in range(4)]
    response = BulkResponse.model_validate(
        {
            "results": [
                {"index": 0, "isSuccessful": True, "id": "o0"},
                {
                    "index": 1,
                    "isSuccessful": False,
                    "statusCode": 400,
                    "message": "unknown SKU",
                    "errors": [{"field": "items.0.sku", "message": "no such SKU 'ZZ-1'"}],
                },
                {"index": 2, "isSuccessful": False, "statusCode": 409, "message": "duplicate safeId"},
            ]
        }
    )

    plain = outcomes_from_response(batch, response)
    creates = outcomes_from_response(batch, response, conflict_is_success=True, ref_is_id=False)

    assert plain[0] == ItemOutcome(10, "s0", id="o0")
    assert plain[1].message == "unknown SKU; items.0.sku: no such SKU 'ZZ-1' (HTTP 400)"
    assert not plain[1].retryable
    assert plain[2].message and "409" in plain[2].message
    assert "no result" in (plain[3].message or "")
    assert creates[2].ok and creates[2].already_existed and creates[2].id is None


@pytest.mark.parametrize("kwargs", [{"batch_size": 101}, {"batch_size": 0}, {"max_concurrency": 0}])
def test_bad_limits_are_refused(kwargs):
    with pytest.raises(ValueError):
        run_bulk(entries(1), ok_sender, **kwargs)
