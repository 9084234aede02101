"""Quantitative claims of the paper: a prediction from theory, a measurement from an independent
numerical route, and the comparison between them.

A claim table has the columns ``claim_id, section, description, predicted, measured, tolerance,
passed, kind, if_failed`` (docs/contributing.md §Contracts between stages). Three comparison
rules cover every claim, chosen by the form of ``predicted`` and ``tolerance`` so that the table
itself says how a row was judged:

* ``predicted`` a number, ``tolerance`` a number: passed iff ``|measured - predicted| <= tolerance``
  (for sequences, ``tolerance`` may be a sequence too: one limit per element, for elements of
  different scales or errors);
* ``tolerance`` a string ``"5%"``: passed iff ``|measured - predicted| <= 0.05 * |predicted|``;
* ``predicted`` a bound ``"<1"`` or ``">0"``: passed iff the measurement satisfies it
  (``tolerance`` is then the margin, normally 0).

``predicted`` and ``measured`` may be sequences (e.g. a cascade of critical temperatures); the
rule is applied element-wise and all elements must pass. A measurement that is NaN fails.

``kind`` says what a pass means: ``"test"`` (the default) when ``measured`` comes from a numerical
route independent of the prediction, ``"consistency"`` when it does not (e.g. the same closed form
evaluated another way): such a row can only catch an implementation error, not test the theory.

``if_failed`` is the reason a failure of the claim would have, written with the claim before any
result is seen: a known limit of the theory or of the estimator at the sizes used (e.g. an
asymptotic prediction tested at finite d). It is shown in the paper for every claim that fails;
a failed claim without one is listed as a failure of unknown cause.

Claim ids are ``<stage>.<topic>.<quantity>`` (:func:`check_claim_id`). Which stages exist is the
stage layer's knowledge, not this module's (it imports nothing above :mod:`thermodiff.files`):
``collect_claims`` checks every id against :data:`thermodiff.stages.STAGES`.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from thermodiff.files import write_text

COLUMNS = (
    "claim_id",
    "section",
    "description",
    "predicted",
    "measured",
    "tolerance",
    "passed",
    "kind",
    "if_failed",
)
KINDS = ("test", "consistency")

Number = float | int
Value = Number | str | Sequence[Number]


@dataclass(frozen=True)
class Claim:
    """One row of the reproduction table; values are formatted as they appear in ``claims.csv``."""

    claim_id: str
    section: str
    description: str
    predicted: str
    measured: str
    tolerance: str
    passed: bool
    kind: str = "test"
    if_failed: str = ""

    def __post_init__(self) -> None:
        check_claim_id(self.claim_id)
        if self.kind not in KINDS:
            raise ValueError(
                f"claim {self.claim_id}: kind must be one of {KINDS}, got {self.kind!r}"
            )

    def as_row(self) -> dict:
        return asdict(self)


def check_claim_id(claim_id: str, stages: Sequence[str] | None = None) -> None:
    """Raise ``ValueError`` unless ``claim_id`` is ``<stage>.<topic>.<quantity>[.<more>...]``:
    at least three non-empty dot-separated parts, the first one of ``stages`` when given (the
    registry, :data:`thermodiff.stages.STAGES`)."""
    parts = str(claim_id).split(".")
    if len(parts) < 3 or not all(parts) or (stages is not None and parts[0] not in stages):
        within = "" if stages is None else f" with <stage> in {tuple(stages)}"
        raise ValueError(f"claim id {claim_id!r} is not <stage>.<topic>.<quantity>{within}")


def format_number(value: Number, digits: int = 6) -> str:
    """Shortest faithful text for a number: 6 significant digits, integers kept as integers."""
    if isinstance(value, bool):
        return "1" if value else "0"
    value = float(value)
    if math.isnan(value):
        return "nan"
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.{digits}g}"


#: significant digits kept in claims.csv: enough for the table to show a 1e-8 agreement
#: (it prints the digits the tolerance needs, thermodiff.macros.agreement_digits)
CLAIM_DIGITS = 12


def _format(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        return ";".join(format_number(v, CLAIM_DIGITS) for v in value)
    return format_number(value, CLAIM_DIGITS)


def _as_list(value: Value) -> list[float]:
    if isinstance(value, str):
        return [float(v) for v in value.split(";")]
    if isinstance(value, Iterable):
        return [float(v) for v in value]
    return [float(value)]


def passes(predicted: Value, measured: Value, tolerance: Number | str | Sequence[Number]) -> bool:
    """Apply the comparison rule of the module docstring."""
    measured_values = _as_list(measured)
    if any(math.isnan(m) for m in measured_values):
        return False
    if isinstance(predicted, str) and predicted.strip()[:1] in "<>":
        bound = float(predicted.strip()[1:])
        margin = float(tolerance) if tolerance not in ("", None) else 0.0
        if predicted.strip()[0] == "<":
            return all(m < bound + margin for m in measured_values)
        return all(m > bound - margin for m in measured_values)
    predicted_values = _as_list(predicted)
    if len(predicted_values) != len(measured_values):
        return False
    if isinstance(tolerance, str) and tolerance.strip().endswith("%"):
        fraction = float(tolerance.strip()[:-1]) / 100.0
        limits = [fraction * abs(p) for p in predicted_values]
    else:
        limits = _as_list(tolerance)
        if len(limits) == 1:
            limits = limits * len(predicted_values)
        elif len(limits) != len(predicted_values):
            raise ValueError(
                f"{len(limits)} tolerances for {len(predicted_values)} predicted values"
            )
    return all(
        abs(m - p) <= lim
        for p, m, lim in zip(predicted_values, measured_values, limits, strict=True)
    )


def make_claim(
    claim_id: str,
    section: str,
    description: str,
    predicted: Value,
    measured: Value,
    tolerance: Number | str | Sequence[Number],
    kind: str = "test",
    if_failed: str = "",
) -> Claim:
    """Build a claim and judge it.

    Parameters
    ----------
    claim_id : str
        Stable dotted id ``<stage>.<topic>.<quantity>``, e.g.
        ``"meanfield.two_delta.critical_temperature"``; shared by the table, the
        LaTeX value ``\\val{claim/<claim_id>/measured}`` and the test that checks it.
    section : str
        Paper section the claim belongs to, e.g. ``"5.1"``.
    description : str
        One sentence that says what is compared and how it was measured.
    predicted, measured : number, str or sequence of numbers
        Theory and independent numerical route (see the module docstring for bounds).
    tolerance : number, str or sequence of numbers
        Absolute tolerance, or a relative one as ``"5%"``, or one absolute tolerance per element
        of a sequence; justified by the numerical method.
    kind : {"test", "consistency"}
        ``"test"`` if ``measured`` is independent of the prediction, else ``"consistency"``.
    if_failed : str
        The reason a failure would have, stated before the result is seen (one sentence, LaTeX
        math allowed); empty when no limitation is known.
    """
    return Claim(
        claim_id=claim_id,
        section=section,
        description=description,
        predicted=_format(predicted),
        measured=_format(measured),
        tolerance=_format(tolerance),
        passed=passes(predicted, measured, tolerance),
        kind=kind,
        if_failed=if_failed,
    )


def latex_escape(text: str) -> str:
    """Escape the characters that LaTeX treats specially in running text."""
    replacements = {
        "\\": r"\textbackslash{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "{": r"\{",
        "}": r"\}",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
    return "".join(replacements.get(ch, ch) for ch in text)


def write_claims(path: str | os.PathLike, claims: Iterable[Claim]) -> None:
    """A stage's claims as CSV with the columns :data:`COLUMNS` (atomic, deterministic)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for claim in claims:
        writer.writerow(claim.as_row())
    write_text(path, buffer.getvalue())
