"""Run the plan: each read once, lists and searches first, by-id reads as their ids turn up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from airflow_provider_ordermesh.client.endpoints import Endpoint
from airflow_provider_ordermesh.probe.plan import IdSets, Read, reads
from airflow_provider_ordermesh.probe.reader import Reader
from airflow_provider_ordermesh.probe.shape import check_shape
from airflow_provider_ordermesh.probe.verdict import Verdict, judge


@dataclass(frozen=True)
class Check:
    """The outcome of one read: what the table shows and the report keeps (``ids`` only hashed)."""

    operation: str
    method: str
    path: str
    verdict: Verdict
    why: str = ""
    status: int | None = None
    parsed: bool | None = None
    unknown_fields: tuple[str, ...] = ()
    api_message: str | None = field(default=None, repr=False)  # the API's words: the table only
    ids: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, endpoint: Endpoint, verdict: Verdict, why: str = "", **outcome: Any) -> Check:
        """A check of ``endpoint`` with its verdict and, if it was tried, what it got back."""
        return cls(endpoint.name, endpoint.method, endpoint.path, verdict, why, **outcome)


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def run_read(reader: Reader, read: Read, ids: Mapping[str, str], known: IdSets) -> Check:
    """Try one read with these ids, judge its answer, and learn the ids of the records it returned."""
    endpoint = read.endpoint
    if read.expected is None:
        return Check.of(endpoint, Verdict.NOT_TRIED, "the probe knows no response model for it")
    path_ids = {name: ids[name] for name in endpoint.path_params}
    answer = reader.read(endpoint, path_ids, read.query(ids) or None)
    shape = None
    if answer.error is None:
        shape = check_shape(endpoint, read.expected, answer.data)
        known.learn(shape.records)
    answered = answer.status is not None and answer.status < 400
    return Check.of(
        endpoint,
        *judge(answer, shape, with_ids=bool(read.needs)),
        status=answer.status,
        parsed=shape.parsed if shape else (False if answered else None),
        unknown_fields=shape.unknown if shape else (),
        api_message=answer.api_message,
        ids=dict(ids),
    )


def run_probe(reader: Reader, given_ids: Mapping[str, str]) -> list[Check]:
    """Every read, in plan order, each tried once its ids are known; the rest ``not tried`` with why."""
    known = IdSets(given_ids)
    pending = reads()
    done: dict[str, Check] = {}
    progress = True
    while pending and progress:
        progress = False
        for read in list(pending):
            ids = known.for_read(read)
            if ids is not None:
                done[read.endpoint.name] = run_read(reader, read, ids, known)
                pending.remove(read)
                progress = True
    for read in pending:
        options = " and ".join(_option(name) for name in read.needs)
        why = f"no {', '.join(read.needs)} found by the other reads; give {options}"
        done[read.endpoint.name] = Check.of(read.endpoint, Verdict.NOT_TRIED, why)
    return [done[read.endpoint.name] for read in reads()]


def count_verdicts(checks: Sequence[Check]) -> dict[str, int]:
    """How many reads got each verdict, in the order verdicts first appear."""
    counts: dict[str, int] = {}
    for check in checks:
        counts[str(check.verdict)] = counts.get(str(check.verdict), 0) + 1
    return counts
