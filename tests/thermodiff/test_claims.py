"""Claims: the three comparison rules and the LaTeX outputs."""

import math

import pytest

from thermodiff.claims import (
    COLUMNS,
    check_claim_id,
    claims_table_latex,
    format_number,
    make_claim,
    passes,
)
from thermodiff.macros import claim_values, values_tex
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


def test_nan_measurement_fails():
    assert not passes(1.0, math.nan, 10.0)


def test_make_claim_formats_values_as_in_the_table():
    claim = make_claim("meanfield.x.y", "5.1", "desc", [4, 1], [4.0000001, 1.0], 1e-3)
    assert claim.predicted == "4;1" and claim.measured == "4;1" and claim.passed
    assert format_number(0.123456789) == "0.123457"


def test_latex_outputs_escape_and_mark_failures():
    claims = [make_claim("rem.a_b.c", "5", "d", 1.0, 2.0, 0.1, kind="consistency")]
    table = claims_table_latex([c.as_row() for c in claims])
    assert r"rem.\allowbreak{}a\_b.\allowbreak{}c" in table and "FAIL" in table
    assert r"& kind &" in table and r"& consistency &" in table
    tex = values_tex(claim_values(claims))
    assert r"\tdset{claim/rem.a_b.c/passed}{FAILED}" in tex
    assert r"\tdset{claim/rem.a_b.c/kind}{consistency}" in tex
    assert r"\tdset{claims/consistency/count}{1}" in tex
    assert r"\tdset{claims/consistency/passed}{0}" in tex
    assert r"\tdset{claims/test/count}{0}" in tex


def test_kind_defaults_to_test_and_is_a_column():
    claim = make_claim("trained.t.q", "12", "d", 1.0, 1.0, 0.1)
    assert claim.kind == "test" and COLUMNS[-1] == "kind"
    assert tuple(claim.as_row()) == COLUMNS
    assert make_claim("trained.t.q", "12", "d", 1.0, 1.0, 0.1, kind="consistency").passed
    with pytest.raises(ValueError, match="kind"):
        make_claim("trained.t.q", "12", "d", 1.0, 1.0, 0.1, kind="check")


@pytest.mark.parametrize(
    "claim_id", ["two_delta.critical_temperature", "rem.onset", "meanfield..x", "unknown.a.b"]
)
def test_claim_ids_must_start_with_a_registered_stage(claim_id):
    with pytest.raises(ValueError, match="<stage>.<topic>.<quantity>"):
        make_claim(claim_id, "5", "d", 1.0, 1.0, 0.1)
    # a stage the library does not register is refused too (the workflow registers from STAGES)
    with pytest.raises(ValueError):
        check_claim_id(claim_id)


def test_registered_stages_accept_their_ids():
    for stage in STAGES:
        check_claim_id(f"{stage}.topic.quantity")
    check_claim_id("meanfield.ising.critical_temperature.b0.3")  # more parts may follow
    check_claim_id("dynamics.a.b", stages=(*STAGES, "dynamics"))
