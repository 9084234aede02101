"""Numbers of the dynamics stage that the paper quotes (keys ``dynamics.*``)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from thermodiff import bath
from thermodiff.macros import join_numbers
from thermodiff.stages.dynamics.claims import capacity_band


def values(summaries: Mapping, settings: Mapping) -> dict[str, object]:
    """Numbers quoted in the paper's §7-10 text (keys ``dynamics.*``)."""
    s, fp, sp, ab = (summaries[k] for k in ("two_delta", "four_point", "sphere", "bath_above"))
    baths = sorted(summaries["baths"], key=lambda b: int(b["m"]))
    out: dict[str, object] = {
        "dynamics.two_delta.a": float(s["a"]),
        "dynamics.two_delta.t_c": float(s["t_c"]),
        "dynamics.two_delta.n_trajectories": int(s["n_trajectories"]),
        "dynamics.two_delta.decision_ratio": float(s["decision_predicted"]) / float(s["t_c"]),
        "dynamics.two_delta.decision_measured": float(s["peak"]),
        "dynamics.two_delta.decision_err": float(s["peak_err"]),
        "dynamics.two_delta.slowing_exponent": float(s["slowing_exponent"]),
        "dynamics.two_delta.ks_max": float(np.max(s["ks"])),
        "dynamics.two_delta.ks_critical": float(s["ks_critical"]),
        "dynamics.adiabatic.ode_increase_coarse": float(s["ode_max_increase_coarse"]),
        "dynamics.adiabatic.ode_increase_fine": float(s["ode_max_increase_fine"]),
        "dynamics.adiabatic.sde_rise_fraction": float(s["sde_rise_fraction"]),
        "dynamics.adiabatic.sde_rise_mean": float(s["sde_rise_mean"]),
        "dynamics.adiabatic.ode_final_free_energy": float(s["ode_final_free_energy_fine"]),
        "dynamics.four_point.decision_high": float(fp["peak"][0]),
        "dynamics.four_point.decision_low": float(fp["peak"][1]),
        "dynamics.sphere.d": int(sp["d"]),
        "dynamics.sphere.t_c": float(sp["t_c"]),
        "dynamics.digits.t_c": float(summaries["digits"]["t_c"]),
        "dynamics.bath.sizes": ", ".join(str(int(b["m"])) for b in baths),
        "dynamics.bath.above_ratio": float(ab["temperature"]) / float(ab["t_c"]),
        "dynamics.bath.above_m": int(ab["m"]),
        "dynamics.bath.critical_amplitude": bath.critical_amplitude(),
        "dynamics.hopfield.dims": ", ".join(str(int(h["d"])) for h in summaries["hopfield"]),
    }
    out["dynamics.bath.x2_quadrature"] = join_numbers(float(b["x2_quadrature"]) for b in baths)
    out["dynamics.bath.x2_simulated"] = join_numbers(float(b["x2_simulated"]) for b in baths)
    out["dynamics.bath.above_law"] = float(ab["law"])
    out["dynamics.bath.above_simulated"] = float(ab["x2_simulated"])
    out |= {
        f"dynamics.bath.single_{k}": float(ab[f"single_{k}"])
        for k in ("t_start", "t_end", "ks_critical", "abs_dev_exact")
    }
    out["dynamics.bath.single_n"] = int(ab["single_n"])
    for route in ("bath", "sde"):
        for k in ("plus", "abs_dev", "ks"):
            out[f"dynamics.bath.single_{route}_{k}"] = float(ab[f"single_{route}_{k}"])
    hs = sorted(summaries["hopfield"], key=lambda h: int(h["d"]))
    out["dynamics.hopfield.log_n_max"] = join_numbers(float(np.log(h["n_max"])) for h in hs)
    out["dynamics.hopfield.log_n_half_err"] = join_numbers(float(h["log_n_half_err"]) for h in hs)
    out["dynamics.hopfield.band_hi"] = join_numbers(capacity_band(float(h["n_max"]))[1] for h in hs)
    out["dynamics.n_sigma"] = float(settings["n_sigma"])
    out["dynamics.hopfield.log_n_half"] = join_numbers(float(h["log_n_half"]) for h in hs)
    out["dynamics.hopfield.identity_error"] = max(float(h["identity_max_error"]) for h in hs)
    out["dynamics.four_point.decision_predicted"] = join_numbers(
        float(v) for v in fp["decision_predicted"]
    )
    return out
