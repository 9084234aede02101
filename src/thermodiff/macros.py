"""Numbers quoted in the paper, as LaTeX definitions written by the pipeline.

Every number in the paper text is read from a generated file, never typed by hand
(pipeline.md §2). A value is stored under a dotted key and printed in LaTeX with
``\\val{key}``; ``paper/main.tex`` defines ``\\val`` to stop the build with an error when a key
is missing, so a renamed or dropped number cannot silently print as ``??``.

Claims publish ``claim/<claim_id>/predicted``, ``.../measured``, ``.../tolerance``,
``.../passed`` and ``.../kind`` automatically (:func:`claim_values`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from thermodiff.claims import Claim, format_number, latex_escape

_KEY = re.compile(r"^[A-Za-z0-9_.\-/]+$")


def format_value(value: object, digits: int = 4) -> str:
    """LaTeX text of a value: numbers with ``digits`` significant digits, strings escaped."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(value, digits)
    return latex_escape(str(value))


def values_tex(values: Mapping[str, object], digits: int = 4) -> str:
    """``\\tdset{key}{text}`` lines for every entry, sorted by key.

    Raises
    ------
    ValueError
        If a key contains characters other than letters, digits and ``_ . - /``.
    """
    lines = []
    for key in sorted(values):
        if not _KEY.match(key):
            raise ValueError(f"macro key {key!r} may contain only letters, digits and _ . - /")
        lines.append(f"\\tdset{{{key}}}{{{format_value(values[key], digits)}}}")
    return "\n".join(lines) + "\n"


def claim_values(claims: Iterable[Claim]) -> dict[str, str]:
    """The LaTeX values every claim publishes: predicted, measured, tolerance, passed."""
    claims = list(claims)
    out: dict[str, str] = {}
    for claim in claims:
        base = f"claim/{claim.claim_id}"
        out[f"{base}/predicted"] = claim.predicted.replace(";", "; ")
        out[f"{base}/measured"] = claim.measured.replace(";", "; ")
        out[f"{base}/tolerance"] = claim.tolerance
        out[f"{base}/passed"] = "passed" if claim.passed else "FAILED"
        out[f"{base}/kind"] = claim.kind
    for kind in ("test", "consistency"):  # how many of each kind there are and pass
        mine = [c for c in claims if c.kind == kind]
        out[f"claims/{kind}/count"] = str(len(mine))
        out[f"claims/{kind}/passed"] = str(sum(c.passed for c in mine))
    return out
