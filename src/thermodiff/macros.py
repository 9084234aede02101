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
import os
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
    """A string that is LaTeX already: :func:`format_value` writes it verbatim.

    ``raw``, when given, is the number the text shows, at full precision: :func:`format_value`
    then writes it with the text (:func:`with_raw`), so that ``\\valpm`` and ``\\valsig`` can
    round it to the precision of its error."""

    raw: float | None = None

    def __new__(cls, text: str, raw: float | None = None) -> Latex:
        obj = super().__new__(cls, text)
        obj.raw = raw
        return obj


def with_raw(raw: float, text: str) -> str:
    r"""``\tdraw{<raw>}{<text>}``: the text ``\val`` prints, and the number at full precision.

    ``paper/main.tex`` keeps the raw number apart for ``\valpm{key}{errkey}`` (the value rounded
    to the first significant digit(s) of its error) and ``\valsig{key}{n}`` (``n`` significant
    digits): the stages' text is rounded to four digits, which says too much next to a large
    error and too little next to a tolerance of 1e-8. Only finite non-integers carry it (an
    integer is exact as printed)."""
    if not math.isfinite(raw) or float(raw).is_integer():
        return text
    return rf"\tdraw{{{float(raw)!r}}}{{{text}}}"


def format_value(value: object, digits: int = 4) -> str:
    """LaTeX text of a value: numbers by :func:`latex_number`, strings by :func:`latex_text`,
    :class:`Latex` strings verbatim."""
    if isinstance(value, Latex):
        return str(value) if value.raw is None else with_raw(value.raw, str(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return with_raw(float(value), latex_number(value, digits))
    if _NUMBER.match(str(value).strip()):  # one number given as text keeps its precision too
        return with_raw(float(value), latex_text(str(value), digits))
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
        for column in ("predicted", "measured"):
            text = str(getattr(claim, column))
            raw = float(text) if _NUMBER.match(text.strip()) else None  # one number: \valsig
            out[f"{base}/{column}"] = Latex(latex_claim_value(text, digits), raw=raw)
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


def _numbers(text: str) -> list[float]:
    """The numbers of a claim cell (one number or a ``;``/``,`` list); [] for anything else."""
    parts = _LIST_SEPARATOR.split(str(text).strip().lstrip("<>").strip())
    if not all(_NUMBER.match(p) for p in parts):
        return []
    return [float(p) for p in parts]


def agreement_digits(
    predicted: str, measured: str, tolerance: str, least: int = 4, most: int = 12
) -> int:
    """Significant digits that show a claim's agreement: down to a tenth of its tolerance.

    A tolerance of 1e-8 on a value near 0.66 needs 9 digits (``0.662985123``), or the table
    would print the same rounded number twice whatever the difference; a 5 % tolerance needs
    no more than the four digits printed by default. ``tolerance`` is absolute, or relative
    with a ``%`` sign; an inequality, a zero or unreadable tolerance keeps ``least`` digits.

    >>> agreement_digits("0.6629851", "0.6629852", "1e-08")
    9
    """
    values = [abs(v) for v in _numbers(predicted) + _numbers(measured) if math.isfinite(v)]
    tol_text = str(tolerance).strip()
    relative = tol_text.endswith("%")
    tol = _numbers(tol_text[:-1] if relative else tol_text)
    if not values or len(tol) != 1 or not tol[0] > 0 or is_bound(predicted):
        return least
    scale = max(values)
    absolute = tol[0] / 100 * scale if relative else tol[0]
    if not scale > 0 or not absolute > 0 or not math.isfinite(absolute):
        return least
    digits = math.floor(math.log10(scale)) - math.floor(math.log10(absolute)) + 2
    return min(max(digits, least), most)


def claim_topics(main_tex: str) -> list[str]:
    r"""The ``\claimtopic{prefix}`` labels of the paper, in reading order.

    Follows the uncommented ``\input{...}`` lines of ``main_tex`` (paths relative to its folder,
    ``.tex`` added) in order, so that the reproduction table can list the claims in the order
    of the sections that discuss them (:func:`section_order`)."""
    folder = os.path.dirname(main_tex)
    topics: list[str] = []

    def read(path: str) -> None:
        with open(path, encoding="utf-8") as handle:
            text = re.sub(r"(?<!\\)%.*", "", handle.read())  # commented lines are not read
        for match in re.finditer(r"\\(input|claimtopic)\{([^}]+)\}", text):
            if match.group(1) == "claimtopic":
                topics.append(match.group(2))
                continue
            name = match.group(2)
            child = os.path.join(folder, name if name.endswith(".tex") else name + ".tex")
            if os.path.exists(child):  # values.tex and the table are found through TEXINPUTS
                read(child)

    read(main_tex)
    return topics


def section_order(rows: Sequence[Mapping], topics: Sequence[str]) -> list[Mapping]:
    """``rows`` ordered by the position of the section that discusses each claim.

    A claim belongs to the topic that is the longest prefix of its id (as ``\\claimsection``
    finds it); claims of the same topic keep their order, and claims of no topic come last."""
    position = {topic: i for i, topic in enumerate(topics)}

    def key(row: Mapping) -> int:
        parts = str(row["claim_id"]).split(".")
        for k in range(len(parts), 0, -1):
            if ".".join(parts[:k]) in position:
                return position[".".join(parts[:k])]
        return len(position)

    return sorted(rows, key=key)  # stable: a topic's claims keep the stage's order


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
        # enough digits to show the agreement at the claim's tolerance, never fewer than digits
        shown = agreement_digits(predicted, str(row["measured"]), str(row["tolerance"]), digits)
        cells = [
            r"\claimsection{" + _section_prefixes(claim_id) + "}",
            latex_escape(str(row["section"])),
            latex_claim_value(predicted, shown),
            latex_claim_value(str(row["measured"]), shown),
            latex_tolerance(predicted, str(row["tolerance"]), digits),
            *([latex_escape(str(row["kind"]))] if with_kind else []),
            mark,
        ]
        lines.append(" & ".join(cells) + r" \\")
    lines += [r"\end{longtable}", ""]
    return "\n".join(lines)
