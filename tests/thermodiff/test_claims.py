"""Claims: the three comparison rules and the LaTeX outputs."""

import math

from thermodiff.claims import claims_table_latex, format_number, make_claim, passes
from thermodiff.macros import claim_values, values_tex


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


def test_nan_measurement_fails():
    assert not passes(1.0, math.nan, 10.0)


def test_make_claim_formats_values_as_in_the_table():
    claim = make_claim("x.y", "5.1", "desc", [4, 1], [4.0000001, 1.0], 1e-3)
    assert claim.predicted == "4;1" and claim.measured == "4;1" and claim.passed
    assert format_number(0.123456789) == "0.123457"


def test_latex_outputs_escape_and_mark_failures():
    claims = [make_claim("a_b.c", "5", "d", 1.0, 2.0, 0.1)]
    table = claims_table_latex([c.as_row() for c in claims])
    assert r"a\_b.\allowbreak{}c" in table and "FAIL" in table
    tex = values_tex(claim_values(claims))
    assert r"\tdset{claim/a_b.c/passed}{FAILED}" in tex
