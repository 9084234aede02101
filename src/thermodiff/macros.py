r"""Numbers quoted in the paper, as LaTeX definitions written by the pipeline.

Every number in the paper text is read from a generated file, never typed by hand
(docs/contributing.md §Contracts between stages). A value is stored under a dotted key and printed in LaTeX with
``\val{key}``; ``paper/main.tex`` defines ``\val`` to stop the build with an error when a key
is missing, so a renamed or dropped number cannot silently print as ``??``.

Claims publish ``claim/<claim_id>/predicted``, ``.../measured``, ``.../tolerance``,
``.../passed`` and ``.../kind`` automatically (:func:`claim_values`).

Numbers are typeset by :func:`latex_number`, never as raw e-notation: ``6.989e-05`` becomes
``6.989\times10^{-5}`` (wrapped in ``\ensuremath`` so that it works in text and in math, and so
that a minus sign is a minus, not a hyphen).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence

from thermodiff.claims import Claim, latex_escape

_KEY = re.compile(r"^[A-Za-z0-9_.\-/]+$")
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_LIST_SEPARATOR = re.compile(r"\s*[;,]\s*")
_E_NOTATION = re.compile(r"^[-+]?\d+(\.\d*)?[eE][-+]\d+$")  # as printed by %g: "6.989e-05"

#: decimal exponents printed in positional notation; outside, m x 10^e
FIXED_RANGE = (-3, 6)


def latex_number(value: float | int | str, digits: int = 4) -> str:
    """LaTeX text of one number with ``digits`` significant digits and no e-notation.

    Positional notation for ``1e-3 <= |value| < 1e6`` (``0.001234``, ``12346``), otherwise a
    power of ten (``6.99\\times10^{-5}``); trailing zeros are dropped as by ``%g``, integers stay
    integers. NaN prints as ``n/a``. The result is wrapped in ``\\ensuremath{...}``.

    >>> latex_number(6.989e-05, 3)
    '\\ensuremath{6.99\\times10^{-5}}'
    """
    value = float(value)
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return r"\ensuremath{-\infty}" if value < 0 else r"\ensuremath{\infty}"
    if value.is_integer() and abs(value) < 10 ** FIXED_RANGE[1]:
        return rf"\ensuremath{{{int(value)}}}"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")  # exponent after rounding
    exponent = int(exponent)
    if FIXED_RANGE[0] <= exponent < FIXED_RANGE[1]:
        text = f"{value:.{max(digits - 1 - exponent, 0)}f}"
    else:
        text = mantissa
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if not FIXED_RANGE[0] <= exponent < FIXED_RANGE[1]:
        sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
        text = f"{sign}10^{{{exponent}}}" if body == "1" else rf"{text}\times10^{{{exponent}}}"
    return rf"\ensuremath{{{text}}}"


def latex_text(text: str, digits: int = 4) -> str:
    """LaTeX text of a string: a list of numbers (``"0.5;1e-05"``, ``"2, 3"``) or one number in
    e-notation (``"6.989e-05"``) is typeset number by number with :func:`latex_number`, joined
    by ``", "``; anything else (``"3"``, a commit hash) is escaped verbatim."""
    parts = _LIST_SEPARATOR.split(text.strip())
    if (len(parts) > 1 and all(_NUMBER.match(p) for p in parts)) or _E_NOTATION.match(parts[0]):
        return ", ".join(latex_number(p, digits) for p in parts)
    return latex_escape(text)


class Latex(str):
    """A string that is LaTeX already: :func:`format_value` writes it verbatim."""


def format_value(value: object, digits: int = 4) -> str:
    """LaTeX text of a value: numbers by :func:`latex_number`, strings by :func:`latex_text`,
    :class:`Latex` strings verbatim."""
    if isinstance(value, Latex):
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return latex_number(value, digits)
    return latex_text(str(value), digits)


def join_numbers(numbers: Iterable[object], fmt: str = "{:.4g}") -> str:
    """Text of a list of numbers quoted as one value: ``0.1245, 0.03776`` (each by ``fmt``)."""
    return ", ".join(fmt.format(v) for v in numbers)


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


def is_bound(predicted: str) -> bool:
    """Whether a claim's prediction is an inequality such as ``"<1"`` or ``">0"``."""
    return predicted.strip()[:1] in ("<", ">")


def latex_claim_value(text: str, digits: int = 4) -> str:
    """LaTeX text of a claim's predicted, measured or tolerance string (as in ``claims.csv``).

    Numbers and ``;``-separated lists are typeset by :func:`latex_number`, a bound ``"<1"`` as
    ``$<1$``, a relative tolerance ``"5%"`` as ``5\\,\\%``; anything else is escaped.
    """
    text = text.strip()
    if text[:1] in ("<", ">") and _NUMBER.match(text[1:].strip()):
        return rf"\ensuremath{{{text[0]}}}" + latex_number(text[1:].strip(), digits)
    if text.endswith("%") and _NUMBER.match(text[:-1].strip()):
        return latex_number(text[:-1].strip(), digits) + r"\,\%"
    parts = _LIST_SEPARATOR.split(text)
    if text and all(_NUMBER.match(p) for p in parts):
        return ", ".join(latex_number(p, digits) for p in parts)
    return latex_escape(text)


def latex_tolerance(predicted: str, tolerance: str, digits: int = 4) -> str:
    """The tolerance cell: an em dash for an inequality with no margin, else the value."""
    if is_bound(predicted) and tolerance.strip() in ("", "0", "0.0"):
        return "---"
    return latex_claim_value(tolerance, digits)


def claim_values(claims: Iterable[Claim], digits: int = 4) -> dict[str, str]:
    """The LaTeX values every claim publishes: predicted, measured, tolerance, passed.

    They are LaTeX already (typeset as in the reproduction table, so the text and the table
    quote the same digits); :func:`values_tex` writes them verbatim.
    """
    claims = list(claims)
    out: dict[str, str] = {}
    for claim in claims:
        base = f"claim/{claim.claim_id}"
        out[f"{base}/predicted"] = Latex(latex_claim_value(claim.predicted, digits))
        out[f"{base}/measured"] = Latex(latex_claim_value(claim.measured, digits))
        out[f"{base}/tolerance"] = Latex(latex_tolerance(claim.predicted, claim.tolerance, digits))
        out[f"{base}/passed"] = "passed" if claim.passed else "FAILED"
        out[f"{base}/kind"] = claim.kind
    for kind in ("test", "consistency"):  # how many of each kind there are and pass
        mine = [c for c in claims if c.kind == kind]
        out[f"claims/{kind}/count"] = str(len(mine))
        out[f"claims/{kind}/passed"] = str(sum(c.passed for c in mine))
    return out


def claim_counts(claims: Iterable[Claim]) -> dict[str, int]:
    """``claims.n_total``, ``claims.n_passed``, ``claims.n_failed`` and
    ``claims.n_unexplained`` (failed with no reason stated in advance) for the text, and, for
    claims with a ``kind``, ``claims.n_<kind>`` and ``claims.n_<kind>_passed`` per kind."""
    claims = list(claims)
    passed = [claim.passed for claim in claims]
    out = {
        "claims.n_total": len(passed),
        "claims.n_passed": sum(passed),
        "claims.n_failed": len(passed) - sum(passed),
        "claims.n_unexplained": sum(
            not c.passed and not str(getattr(c, "if_failed", "")).strip() for c in claims
        ),
    }
    kinds = [getattr(claim, "kind", None) for claim in claims]
    if claims and None not in kinds:
        for kind in ("test", "consistency"):
            of_kind = [c.passed for c, k in zip(claims, kinds, strict=True) if k == kind]
            out[f"claims.n_{kind}"] = len(of_kind)
            out[f"claims.n_{kind}_passed"] = sum(of_kind)
    return out


def _section_prefixes(claim_id: str) -> str:
    """``"a.b.c"`` -> ``"a.b.c,a.b,a"``: the labels ``\\claimsection`` tries, longest first."""
    parts = claim_id.split(".")
    return ",".join(".".join(parts[:k]) for k in range(len(parts), 0, -1))


def _passed(row: Mapping) -> bool:
    return str(row["passed"]).strip().lower() in ("true", "1")


def _kind_summary(rows: Sequence[Mapping]) -> str:
    """``"31 claims, 29 pass (25 tests, 23 pass; 6 consistency checks, 6 pass)"``."""
    n_passed = sum(_passed(row) for row in rows)
    text = f"{len(rows)} claims, {n_passed} pass, {len(rows) - n_passed} fail"
    if rows and all("kind" in row for row in rows):
        parts = []
        for kind, name in (("test", "tests"), ("consistency", "consistency checks")):
            of_kind = [row for row in rows if str(row["kind"]) == kind]
            parts.append(f"{len(of_kind)} {name}, {sum(_passed(r) for r in of_kind)} pass")
        text += " (" + "; ".join(parts) + ")"
    return text


def failed_claims_latex(rows: Sequence[Mapping]) -> str:
    """The paragraph after the reproduction table: every failed claim with its stated reason.

    For each row that did not pass: its id, the section of this document that discusses it
    (``\\claimsection``) and ``if_failed``, the reason recorded with the claim in the code that
    makes it (raw LaTeX). A failed claim without one is listed as a failure of unknown cause, so
    no failure is ever silent.
    """
    failed = [row for row in rows if not _passed(row)]
    head = r"\paragraph{Failed claims.}"
    if not failed:
        return head + " None: every claim of Table~\\ref{tab:claims} passes.\n"
    noun = "claim fails" if len(failed) == 1 else "claims fail"
    lines = [
        head + rf" {len(failed)} {noun}. Each is given with the reason recorded with the claim "
        r"in the code that makes it (\texttt{if\_failed} in \texttt{claims.csv}): a known limit "
        r"of the theory or of the estimator at the sizes used, not a reading of the result.",
        r"\begin{itemize}",
    ]
    for row in failed:
        claim_id = str(row["claim_id"])
        reason = str(row.get("if_failed") or "").strip() or (
            r"\emph{No reason was stated in advance: an unexplained failure of the reproduction.}"
        )
        lines.append(
            rf"\item \texttt{{{latex_escape(claim_id)}}} "
            rf"(\S\claimsection{{{_section_prefixes(claim_id)}}}): {reason}"
        )
    lines += [r"\end{itemize}", ""]
    return "\n".join(lines)


def claims_table_latex(rows: Sequence[Mapping], digits: int = 4) -> str:
    """The reproduction table as a captioned ``longtable`` (packages ``longtable``, ``booktabs``).

    ``rows`` are dictionaries with the columns of :data:`thermodiff.claims.COLUMNS`, in table
    order. Each claim takes two lines: its id, unbroken, across the table; then the section of
    this document that discusses it (``\\claimsection``, defined in ``paper/main.tex``, finds the
    ``\\claimtopic`` label of the longest prefix of the id), the section of the original paper,
    predicted, measured, tolerance (an em dash for an inequality), the kind of the claim (``test``
    or ``consistency``, when the rows have a ``kind``) and the verdict.
    """
    with_kind = bool(rows) and all("kind" in row for row in rows)
    n_cols = 7 if with_kind else 6
    value_width = "0.22" if with_kind else "0.27"
    header = r"\S & orig. & predicted & measured & tolerance & " + (
        r"kind & \\" if with_kind else r"\\"
    )
    kind_text = (
        r" The kind is \emph{test} when the measurement is independent of the prediction and "
        r"\emph{consistency} when it is not (it can only catch an implementation error)."
        if with_kind
        else ""
    )
    lines = [
        rf"\begin{{longtable}}{{@{{}}p{{0.055\linewidth}}p{{0.055\linewidth}}"
        rf"p{{{value_width}\linewidth}}p{{{value_width}\linewidth}}p{{0.12\linewidth}}"
        + ("ll" if with_kind else "l")
        + "@{}}",
        r"\caption{Reproduction table: " + _kind_summary(rows) + ". "
        r"Each claim occupies two lines: its identifier, then the section of this document "
        r"that discusses it (\S), the section of the original paper~\cite{ambrogioni2025} it "
        r"tests (orig.), the predicted and the measured value, the tolerance of the comparison "
        r"(absolute, relative in \%, or --- for an inequality)"
        + (", the kind" if with_kind else "")
        + r" and the verdict."
        + kind_text
        + r"}\label{tab:claims}\\",
        r"\toprule",
        header,
        r"\midrule",
        r"\endfirsthead",
        rf"\multicolumn{{{n_cols}}}{{@{{}}l}}{{\emph{{Table~\ref{{tab:claims}}, continued}}}}\\",
        r"\toprule",
        header,
        r"\midrule",
        r"\endhead",
        r"\bottomrule",
        r"\endlastfoot",
    ]
    for i, row in enumerate(rows):
        mark = (
            r"\textcolor{passgreen}{pass}"
            if _passed(row)
            else r"\textcolor{failred}{\textbf{FAIL}}"
        )
        predicted, claim_id = str(row["predicted"]), str(row["claim_id"])
        if i:
            lines.append(r"\addlinespace[3pt]")
        lines.append(
            rf"\multicolumn{{{n_cols}}}{{@{{}}l}}{{\texttt{{" + latex_escape(claim_id) + r"}}\\*"
        )
        cells = [
            r"\claimsection{" + _section_prefixes(claim_id) + "}",
            latex_escape(str(row["section"])),
            latex_claim_value(predicted, digits),
            latex_claim_value(str(row["measured"]), digits),
            latex_tolerance(predicted, str(row["tolerance"]), digits),
            *([latex_escape(str(row["kind"]))] if with_kind else []),
            mark,
        ]
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\end{longtable}", ""]
    return "\n".join(lines)
