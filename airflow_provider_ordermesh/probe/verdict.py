"""The verdict of one check, from the HTTP answer and the shape comparison.

``matches`` means the path answered and the answer parsed in the expected shape (wrapper key,
list or record, required fields). Fields the models do not know are listed beside the verdict
but do not change it: the response models accept them on purpose.
"""

from __future__ import annotations

from enum import StrEnum

from airflow_provider_ordermesh.probe.reader import Answer
from airflow_provider_ordermesh.probe.shape import ShapeCheck

PATH_MISSING_STATUSES = frozenset({404, 405})


class Verdict(StrEnum):
    """What one check found about our reconstruction of an operation."""

    MATCHES = "matches"
    PATH_MISSING = "path missing"
    SHAPE_DIFFERS = "shape differs"
    FAILED = "failed"
    """Answered with another error (401, 403, 400, 5xx) or not at all: says nothing of the path yet."""
    NOT_TRIED = "not tried"

    @property
    def is_problem(self) -> bool:
        """True for the verdicts that make the probe exit non-zero."""
        return self in (Verdict.PATH_MISSING, Verdict.SHAPE_DIFFERS, Verdict.FAILED)


def judge(answer: Answer, shape: ShapeCheck | None, *, with_ids: bool = False) -> tuple[Verdict, str]:
    """The verdict and a short reason, in the probe's own words (never the API's text).

    ``with_ids`` says the read had ids in its path or query: then a 404 may mean an unknown id.
    """
    if answer.status in PATH_MISSING_STATUSES:
        maybe_id = " (or the id is unknown there)" if with_ids and answer.status == 404 else ""
        return Verdict.PATH_MISSING, f"HTTP {answer.status}{maybe_id}"
    if answer.error and answer.status is not None and answer.status >= 400:
        return Verdict.FAILED, answer.error
    if answer.error and answer.status is None:
        return Verdict.FAILED, f"no HTTP answer ({answer.error})"
    if answer.error:
        return Verdict.SHAPE_DIFFERS, answer.error
    if shape is None or not shape.parsed:
        return Verdict.SHAPE_DIFFERS, shape.problem if shape and shape.problem else "the answer did not parse"
    # Unknown fields alone do not make a mismatch: the models accept them by design (the real API
    # sends more than the docs show); the table and report list them so the models can learn them.
    return Verdict.MATCHES, ""
