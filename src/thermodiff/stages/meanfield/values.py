"""Numbers of the mean-field stage that the paper quotes (keys ``meanfield.*``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from thermodiff.claims import Claim
from thermodiff.macros import join_numbers
from thermodiff.stages.meanfield.claims import claims


def _generation_values(ref: Mapping) -> dict[str, object]:
    """``meanfield.simplex.ref.generation.*`` of the largest q, temperatures in units of T_sym."""
    g, t_sym = ref.get("generation"), ref["predicted"]["instability_temperature"]
    if ref["q"] < 3 or g is None:
        return {}
    pre = "meanfield.simplex.ref.generation"
    return {
        f"{pre}.n_paths": g["n_paths"],
        f"{pre}.n_steps": g["n_steps"],
        f"{pre}.t_start": g["t_start"] / t_sym,
        f"{pre}.predicted": g["predicted_crossing"] / t_sym,
        f"{pre}.measured": g["measured_crossing"] / t_sym,
        f"{pre}.error": g["crossing_standard_error"] / t_sym,
        f"{pre}.t1": ref["predicted"]["transition_temperature"] / t_sym,
    }


def simplex_values(simplex: Sequence[Mapping], claims: Sequence[Claim]) -> dict[str, object]:
    """``meanfield.simplex.*``: settings, the largest q's numbers, pass counts."""
    runs = sorted(simplex, key=lambda s: s["q"])
    ref = runs[-1]
    pred, meas, t_sym = (
        ref["predicted"],
        ref["measured"],
        ref["predicted"]["instability_temperature"],
    )
    mine = [c for c in claims if c.claim_id.startswith("meanfield.simplex.")]
    return {
        "meanfield.simplex.qs": ", ".join(str(s["q"]) for s in runs),
        "meanfield.simplex.lambda_max": t_sym,
        "meanfield.simplex.n_starts": ref["n_starts"],
        "meanfield.simplex.grid_step": ref["grid_step"],
        "meanfield.simplex.ref.q": ref["q"],
        "meanfield.simplex.ref.tsym": t_sym,
        "meanfield.simplex.ref.t1": pred["transition_temperature"],
        "meanfield.simplex.ref.tsp": pred["spinodal_temperature"],
        "meanfield.simplex.ref.jump": pred["order_parameter_jump"],
        "meanfield.simplex.ref.t1_measured": f"{meas['transition_temperature']:.8f}",
        "meanfield.simplex.ref.tsp_measured": f"{meas['spinodal_temperature']:.8f}",
        "meanfield.simplex.ref.jump_measured": f"{meas['order_parameter_jump']:.8f}",
        "meanfield.simplex.ref.alignment": ref["vertex_alignment"],
        "meanfield.simplex.ref.cooling_jump": ref["cooling_jump_temperature"] / t_sym,
        "meanfield.simplex.ref.heating_jump": ref["heating_jump_temperature"] / t_sym,
        **_generation_values(ref),
        "meanfield.simplex.n_claims": len(mine),
        "meanfield.simplex.n_passed": sum(c.passed for c in mine),
    }


def values(summaries: Mapping, settings: Mapping | None = None) -> dict[str, object]:
    """Numbers the paper quotes (keys ``meanfield.*``)."""
    critical, exponents = summaries["two_delta"], summaries["exponents"]
    four_point, digits = summaries["four_point"], summaries["digits"]
    gaussian, goldstone = summaries["gaussian"], summaries["goldstone"]
    spheres, couplings = summaries["spheres"], summaries["couplings"]
    chain = summaries["chain"]
    v: dict[str, object] = {
        "meanfield.two_delta.a": critical["a"],
        "meanfield.two_delta.tc": critical["predicted"],
        "meanfield.exponents.window_min": exponents["beta"]["window"][0],
        "meanfield.exponents.window_max": exponents["beta"]["window"][1],
        "meanfield.exponents.field_min": exponents["delta"]["window"][0],
        "meanfield.exponents.field_max": exponents["delta"]["window"][1],
        "meanfield.exponents.beta_residual": exponents["beta"]["residual"],
        "meanfield.exponents.beta_amplitude": exponents["beta"]["amplitude"],
        "meanfield.exponents.gamma_above_amplitude": exponents["gamma_above"]["amplitude"],
        "meanfield.exponents.gamma_below_amplitude": exponents["gamma_below"]["amplitude"],
        "meanfield.exponents.delta_inverse": exponents["delta"]["slope"],
        "meanfield.exponents.delta_amplitude": exponents["delta"]["amplitude"],
        "meanfield.exponents.heat_window_min": exponents["heat_capacity"]["window"][0],
        "meanfield.exponents.heat_window_max": exponents["heat_capacity"]["window"][1],
        "meanfield.exponents.heat_below": exponents["heat_capacity"]["below"],
        "meanfield.exponents.n_points": exponents["beta"]["n_points"],
        "meanfield.four_point.a": float(np.sqrt(four_point["predicted"][0])),
        "meanfield.four_point.b": float(np.sqrt(four_point["predicted"][1])),
        "meanfield.digits.cov_top": digits["raw"]["covariance_top_eigenvalue"],
        "meanfield.digits.raw_max_lambda": digits["raw"]["max_lambda_max"],
        "meanfield.digits.raw_max_lambda_temperature": digits["raw"]["temperature_at_max"],
        "meanfield.digits.raw_grid_max_lambda": digits["raw"]["grid_max_lambda_max"],
        "meanfield.gaussian.max_lambda": gaussian["max_lambda_max"],
        "meanfield.gaussian.t_min": gaussian["temperature_range"][0],
        "meanfield.gaussian.t_max": gaussian["temperature_range"][1],
        "meanfield.sphere.radius": spheres[0]["radius"],
        "meanfield.sphere.dims": ", ".join(str(s["d"]) for s in spheres),
        "meanfield.sphere.tcs": join_numbers(s["predicted"] for s in spheres),
        "meanfield.sphere.jumps": join_numbers(
            (s["heat_capacity"]["jump"] for s in spheres), "{:.5g}"
        ),
        "meanfield.sphere.betas": join_numbers((s["beta"]["slope"] for s in spheres), "{:.4f}"),
        "meanfield.goldstone.d": goldstone["d"],
        "meanfield.goldstone.ratio": goldstone["temperature_ratio"],
        "meanfield.goldstone.n_samples": goldstone["n_samples"],
        "meanfield.goldstone.radius": goldstone["fixed_point_radius"],
        "meanfield.goldstone.chi_parallel": goldstone["closed_form"]["chi_parallel"],
        "meanfield.goldstone.chi_parallel_mc": goldstone["monte_carlo"]["parallel"],
        "meanfield.goldstone.empirical_chi_perp": goldstone["empirical_minimum"]["chi_perp_mean"],
        "meanfield.ising.couplings": join_numbers((c["coupling"] for c in couplings), "{:g}"),
        "meanfield.ising.tcs": join_numbers(c["predicted"] for c in couplings),
        "meanfield.ising.data_d": couplings[0]["data_d"],
        "meanfield.ising.data_tcs": join_numbers(c["finite"][str(c["data_d"])] for c in couplings),
        "meanfield.ising.empirical_tcs": join_numbers(c["empirical_tc"] for c in couplings),
        "meanfield.ising.ladder_min": int(min(couplings[0]["ladder_dims"])),
        "meanfield.ising.ladder_max": int(max(couplings[0]["ladder_dims"])),
        "meanfield.chain.coupling": chain["coupling"],
    }
    lengths = sorted(chain["finite"], key=int)  # six digits: the finite-L shift is small
    v["meanfield.chain.tc"] = f"{chain['predicted']:.6g}"
    v["meanfield.chain.lengths"] = ", ".join(lengths)
    v["meanfield.chain.finite_tcs"] = ", ".join(
        f"{chain['finite'][n]['structure_factor']:.6g}" for n in lengths
    )
    v["meanfield.chain.bifurcation_length"] = chain["bifurcation"]["length"]
    v["meanfield.ising.bifurcations"] = join_numbers(
        (c["bifurcation"] for c in couplings), "{:.6g}"
    )
    return v | simplex_values(summaries["simplex"], claims(summaries))
