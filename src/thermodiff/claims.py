"""Quantitative claims of the paper: a prediction from theory, a measurement from an independent
numerical route, and the comparison between them.

A claim table has the columns ``claim_id, section, description, predicted, measured, tolerance,
passed`` (pipeline.md §2). Three comparison rules cover every claim, chosen by the form of
``predicted`` and ``tolerance`` so that the table itself says how a row was judged:

* ``predicted`` a number, ``tolerance`` a number: passed iff ``|measured - predicted| <= tolerance``;
* ``tolerance`` a string ``"5%"``: passed iff ``|measured - predicted| <= 0.05 * |predicted|``;
* ``predicted`` a bound ``"<1"`` or ``">0"``: passed iff the measurement satisfies it
  (``tolerance`` is then the margin, normally 0).

``predicted`` and ``measured`` may be sequences (e.g. a cascade of critical temperatures); the
rule is applied element-wise and all elements must pass. A measurement that is NaN fails.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

COLUMNS = ("claim_id", "section", "description", "predicted", "measured", "tolerance", "passed")

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

    def as_row(self) -> dict:
        return asdict(self)


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


def _format(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable):
        return ";".join(format_number(v) for v in value)
    return format_number(value)


def _as_list(value: Value) -> list[float]:
    if isinstance(value, str):
        return [float(v) for v in value.split(";")]
    if isinstance(value, Iterable):
        return [float(v) for v in value]
    return [float(value)]


def passes(predicted: Value, measured: Value, tolerance: Number | str) -> bool:
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
        limits = [float(tolerance)] * len(predicted_values)
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
    tolerance: Number | str,
) -> Claim:
    """Build a claim and judge it.

    Parameters
    ----------
    claim_id : str
        Stable dotted id, e.g. ``"two_delta.critical_temperature"``; shared by the table, the
        LaTeX value ``\\val{claim/<claim_id>/measured}`` and the test that checks it.
    section : str
        Paper section the claim belongs to, e.g. ``"5.1"``.
    description : str
        One sentence that says what is compared and how it was measured.
    predicted, measured : number, str or sequence of numbers
        Theory and independent numerical route (see the module docstring for bounds).
    tolerance : number or str
        Absolute tolerance, or a relative one as ``"5%"``; justified by the numerical method.
    """
    return Claim(
        claim_id=claim_id,
        section=section,
        description=description,
        predicted=_format(predicted),
        measured=_format(measured),
        tolerance=_format(tolerance),
        passed=passes(predicted, measured, tolerance),
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


def claims_table_latex(rows: Sequence[dict]) -> str:
    """The reproduction table as a ``longtable`` body (needs the ``longtable`` and ``booktabs`` packages).

    ``rows`` are dictionaries with the keys of :data:`COLUMNS`, in the order they should appear.
    """
    lines = [
        r"\begin{longtable}{@{}p{0.30\linewidth}p{0.06\linewidth}p{0.17\linewidth}"
        r"p{0.17\linewidth}p{0.12\linewidth}l@{}}",
        r"\toprule",
        r"claim & \S & predicted & measured & tolerance & \\",
        r"\midrule",
        r"\endhead",
    ]
    for row in rows:
        ok = str(row["passed"]).strip().lower() in ("true", "1")
        mark = r"\textcolor{passgreen}{pass}" if ok else r"\textcolor{failred}{\textbf{FAIL}}"
        cells = [
            # a break is allowed after each dot so that long ids wrap inside their column
            r"\texttt{" + latex_escape(str(row["claim_id"])).replace(".", r".\allowbreak{}") + "}",
            latex_escape(str(row["section"])),
            latex_escape(str(row["predicted"]).replace(";", "; ")),
            latex_escape(str(row["measured"]).replace(";", "; ")),
            latex_escape(str(row["tolerance"])),
            mark,
        ]
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\bottomrule", r"\end{longtable}", ""]
    return "\n".join(lines)
