"""Claims: the three comparison rules and the LaTeX outputs."""

import math

import pytest

from thermodiff.claims import COLUMNS, check_claim_id, format_number, make_claim, passes
from thermodiff.macros import (
    claim_counts,
    claim_values,
    claims_table_latex,
    failed_claims_latex,
    latex_claim_value,
    latex_number,
    latex_text,
    values_tex,
)
from thermodiff.stages import STAGES


def test_absolute_tolerance():
    assert passes(1.0, 1.00005, 1e-4)
    assert not passes(1.0, 1.0002, 1e-4)


def test_relative_tolerance():
    assert passes(200.0, 209.0, "5%")
    assert not passes(200.0, 211.0, "5%")


def test_bounds():
    assert passes("<1", 0.93, 0)
    assert not passes("<1", 1.0, 0)
    assert passes(">0", 0.1, 0)


def test_sequences_pass_only_if_every_element_passes():
    assert passes([4, 1], [4.001, 0.999], 0.01)
    assert not passes([4, 1], [4.001, 1.5], 0.01)
    assert not passes([4, 1], [4.0], 0.01)


def test_per_element_tolerances():
    assert passes([2.0, 0.1], [2.5, 0.11], [0.6, 0.02])
    assert not passes([2.0, 0.1], [2.0, 0.15], [0.6, 0.02])  # one shared 0.6 would pass it
    claim = make_claim("trained.a.b", "12", "d", [2.0, 0.1], [2.0, 0.15], [0.6, 0.02])
    assert claim.tolerance == "0.6;0.02" and not claim.passed
    with pytest.raises(ValueError, match="2 tolerances for 3"):
        passes([1, 2, 3], [1, 2, 3], [0.1, 0.1])


def test_nan_measurement_fails():
    assert not passes(1.0, math.nan, 10.0)


def test_make_claim_formats_values_as_in_the_table():
    claim = make_claim("meanfield.x.y", "5.1", "desc", [4, 1], [4.0000001, 1.0], 1e-3)
    # 12 significant digits, so that the table can show an agreement to 1e-8
    assert claim.predicted == "4;1" and claim.measured == "4.0000001;1" and claim.passed
    assert format_number(0.123456789) == "0.123457"


def test_latex_outputs_escape_and_mark_failures():
    claims = [make_claim("rem.a_b.c", "5", "d", 1.0, 2.0, 0.1, kind="consistency")]
    table = claims_table_latex([c.as_row() for c in claims])
    assert r"\texttt{rem.a\_b.c}" in table and "FAIL" in table  # the id is never broken
    assert r"\claimsection{rem.a_b.c,rem.a_b,rem}" in table
    assert r"& kind &" in table and r"& consistency &" in table
    assert r"\caption{Reproduction table: 1 claims, 0 pass, 1 fail (" in table
    tex = values_tex(claim_values(claims) | claim_counts(claims))
    assert r"\tdset{claim/rem.a_b.c/passed}{FAILED}" in tex
    assert r"\tdset{claim/rem.a_b.c/kind}{consistency}" in tex
    assert r"\tdset{claims/consistency/count}{1}" in tex
    assert r"\tdset{claims/consistency/passed}{0}" in tex
    assert r"\tdset{claims/test/count}{0}" in tex
    assert r"\tdset{claim/rem.a_b.c/measured}{\ensuremath{2}}" in tex
    assert r"\tdset{claims.n_failed}{\ensuremath{1}}" in tex
    assert r"\tdset{claims.n_unexplained}{\ensuremath{1}}" in tex
    assert r"\tdset{claims.n_consistency}{\ensuremath{1}}" in tex


def test_kind_defaults_to_test_and_is_a_column():
    claim = make_claim("trained.t.q", "12", "d", 1.0, 1.0, 0.1)
    assert claim.kind == "test" and COLUMNS[-2:] == ("kind", "if_failed")
    assert tuple(claim.as_row()) == COLUMNS
    assert make_claim("trained.t.q", "12", "d", 1.0, 1.0, 0.1, kind="consistency").passed
    with pytest.raises(ValueError, match="kind"):
        make_claim("trained.t.q", "12", "d", 1.0, 1.0, 0.1, kind="check")


@pytest.mark.parametrize(
    "claim_id", ["two_delta.critical_temperature", "rem.onset", "meanfield..x", "unknown.a.b"]
)
def test_claim_ids_must_start_with_a_registered_stage(claim_id):
    # the registry is the stage layer's: a claim refuses ids of the wrong shape, and the check
    # against thermodiff.stages.STAGES (collect_claims) refuses a stage it does not register
    if claim_id != "unknown.a.b":
        with pytest.raises(ValueError, match="<stage>.<topic>.<quantity>"):
            make_claim(claim_id, "5", "d", 1.0, 1.0, 0.1)
    with pytest.raises(ValueError, match="<stage>.<topic>.<quantity>"):
        check_claim_id(claim_id, STAGES)


def test_registered_stages_accept_their_ids():
    for stage in STAGES:
        check_claim_id(f"{stage}.topic.quantity", STAGES)
    check_claim_id("meanfield.ising.critical_temperature.b0.3", STAGES)  # more parts may follow
    check_claim_id("dynamics.a.b", stages=(*STAGES, "dynamics"))


def test_inequality_claims_have_a_dash_for_tolerance():
    claims = [make_claim("rem.x.bound", "5", "d", "<1", 0.93, 0)]
    table = claims_table_latex([c.as_row() for c in claims])
    assert r"\ensuremath{<}\ensuremath{1} & \ensuremath{0.93} & --- & " in table
    assert claim_values(claims)["claim/rem.x.bound/tolerance"] == "---"


def test_numbers_are_typeset_without_e_notation():
    assert latex_number(6.989e-05, 3) == r"\ensuremath{6.99\times10^{-5}}"
    assert latex_number(1e-4) == r"\ensuremath{10^{-4}}"
    assert latex_number(-2.5e7, 2) == r"\ensuremath{-2.5\times10^{7}}"
    assert latex_number(0.7752449) == r"\ensuremath{0.7752}"
    assert latex_number(0.0012345) == r"\ensuremath{0.001234}"  # positional down to 1e-3
    assert latex_number(12345.67) == r"\ensuremath{12346}"  # and up to 1e6
    assert latex_number(9.99996) == r"\ensuremath{10}"  # rounding carries into the exponent
    assert latex_number(-0.5) == r"\ensuremath{-0.5}"  # a minus, not a hyphen
    assert latex_number(3) == r"\ensuremath{3}" and latex_number(float("nan")) == "n/a"
    assert "e" not in latex_number(6.02e23).replace("ensuremath", "").replace("times", "")


def test_lists_and_claim_strings_are_typeset_number_by_number():
    assert latex_text("0.5;1e-05") == r"\ensuremath{0.5}, \ensuremath{10^{-5}}"
    assert latex_text("2, 3") == r"\ensuremath{2}, \ensuremath{3}"
    assert latex_text("1234e56") == "1234e56"  # a lone token (a commit hash?) stays text
    assert latex_text("6.989e-05") == r"\ensuremath{6.989\times10^{-5}}"  # unless %g wrote it
    assert latex_text("a_b") == r"a\_b"
    assert latex_claim_value("5%") == r"\ensuremath{5}\,\%"
    assert latex_claim_value(">0") == r"\ensuremath{>}\ensuremath{0}"
    assert latex_claim_value("1.23456789e-07") == r"\ensuremath{1.235\times10^{-7}}"


def test_claims_table_shows_and_counts_kinds_when_the_rows_have_them():
    rows = [
        make_claim("rem.t.a", "5", "d", 1.0, 1.0, 0.1).as_row() | {"kind": "test"},
        make_claim("rem.t.b", "5", "d", 1.0, 2.0, 0.1).as_row() | {"kind": "test"},
        make_claim("rem.t.c", "5", "d", 1.0, 1.0, 0.1).as_row() | {"kind": "consistency"},
    ]
    table = claims_table_latex(rows)
    assert "3 claims, 2 pass, 1 fail (2 tests, 1 pass; 1 consistency checks, 1 pass)" in table
    assert (
        r"& tolerance & kind & \\" in table and r"\multicolumn{7}{@{}l}{\texttt{rem.t.c}}" in table
    )
    assert r"& \ensuremath{0.1} & consistency & \textcolor{passgreen}{pass} \\" in table


def test_every_failed_claim_is_listed_with_its_stated_reason_or_as_unexplained():
    reason = r"the annealed width ignores the quenched disorder at $d \le 100$"
    rows = [
        make_claim("rem.x.y", "11", "d", 1.0, 1.0, 0.1, if_failed="never shown").as_row(),
        make_claim("rem.x.z", "11", "d", -1.1, -1.0, 0.02, if_failed=reason).as_row(),
        make_claim("trained.a.b", "12", "d", 1.0, 3.0, 0.1).as_row(),
    ]
    text = failed_claims_latex(rows)
    assert text.startswith(r"\paragraph{Failed claims.} 2 claims fail")
    assert r"\item \texttt{rem.x.z} (\S\claimsection{rem.x.z,rem.x,rem}): " + reason in text
    assert r"\item \texttt{trained.a.b}" in text and "unexplained failure" in text
    assert "never shown" not in text and "rem.x.y}" not in text
    assert "None: every claim" in failed_claims_latex(rows[:1])


def test_table_prints_the_digits_the_tolerance_needs():
    from thermodiff.macros import agreement_digits, claims_table_latex

    assert agreement_digits("0.662985123", "0.662985124", "1e-08") == 9
    assert agreement_digits("2.71828", "2.7", "5%") == 4  # never fewer than four
    assert agreement_digits("<1", "0.5", "0") == 4
    row = {
        "claim_id": "meanfield.x.y",
        "section": "5",
        "predicted": "0.662985123",
        "measured": "0.662985124",
        "tolerance": "1e-08",
        "passed": "True",
        "kind": "test",
    }
    table = claims_table_latex([row])
    assert "0.662985123" in table and "0.662985124" in table


def test_rows_follow_the_sections_that_discuss_them():
    from thermodiff.macros import section_order

    rows = [{"claim_id": i} for i in ("rem.a.b", "meanfield.x.y", "other.q.r", "meanfield.z.w")]
    topics = ["meanfield.z", "meanfield", "rem"]
    assert [r["claim_id"] for r in section_order(rows, topics)] == [
        "meanfield.z.w",
        "meanfield.x.y",
        "rem.a.b",
        "other.q.r",
    ]
