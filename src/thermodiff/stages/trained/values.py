"""Numbers of the trained stage that the paper quotes (keys ``trained.*``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from thermodiff import markers
from thermodiff.stages.trained.probe_runs import PHI_CRITICAL
from thermodiff.stages.trained.seeds import rounded, seed_list, seed_mean

SETS = ("mixture", "digits01", "digits10")
"""Training sets the text names; a config that leaves one out still defines its keys ('n/a')."""


def marker_values(markers_by_set: Mapping) -> dict[str, object]:
    """``trained.<set>.*``: lambda_max, the marker temperatures and OU times, N and d."""
    values: dict[str, object] = {}
    for name, m in markers_by_set.items():
        for key in ("lambda_max", "T_meanfield", "T_decision", "T_drift", "T_x0"):
            if key in m["markers"]:
                values[f"trained.{name}.{key}"] = m["markers"][key]
        for key in ("lambda_2", "lambda_3"):  # how separated the top eigenvalue is
            if key in m["markers"]:
                values[f"trained.{name}.{key}_ratio"] = (
                    m["markers"][key] / m["markers"]["lambda_max"]
                )
        for key in ("s_meanfield", "s_decision", "s_speciation", "s_drift"):  # 3 decimals
            values[f"trained.{name}.{key}"] = f"{float(m['markers'][key]):.3f}"
        values[f"trained.{name}.n"], values[f"trained.{name}.dim"] = m["n"], m["dim"]
    return values


def branching_values(branching: Mapping) -> dict[str, object]:
    """``trained.<set>.*``: peak and phi crossing of the networks, the exact score, the theory."""
    values: dict[str, object] = {}
    for name, scores in branching.items():
        key = f"trained.{name}"
        values[f"{key}.net_peak_s"], values[f"{key}.net_peak_se"] = rounded(
            *seed_mean(scores, "peak_s", "peak_se")
        )
        values[f"{key}.spacing"] = next(iter(scores.values()))["spacing"]
        values[f"{key}.net_phi_cross_s"] = rounded(
            *seed_mean(scores, "phi_cross_s", "phi_cross_se")
        )[0]
        values[f"{key}.net_peak_seeds"] = seed_list(scores, "peak_s")
        values[f"{key}.net_phi_cross_seeds"] = seed_list(scores, "phi_cross_s")
        if "exact" in scores:
            exact = scores["exact"]
            peak_text = rounded(exact["peak_s"], exact["peak_se"])
            values[f"{key}.exact_peak_s"], values[f"{key}.exact_peak_se"] = peak_text
            values[f"{key}.exact_phi_cross_s"] = rounded(
                exact["phi_cross_s"], exact["phi_cross_se"]
            )[0]
        if "theory" in scores:
            for k in ("peak_s", "phi_cross_s"):
                values[f"{key}.theory_{k}"] = scores["theory"][k]
    return values


def commitment_values(commitment: Mapping) -> dict[str, object]:
    """``trained.<set>.{net,exact}_T_{class,identity}``."""
    values: dict[str, object] = {}
    for d, scores in commitment.items():
        for key in ("T_class", "T_identity"):
            values[f"trained.{d}.net_{key}"] = seed_mean(scores, key)[0]
            values[f"trained.{d}.net_{key}_seeds"] = seed_list(scores, key, "{:.3g}")
            values[f"trained.{d}.exact_{key}"] = scores["exact"][key]
            if "theory" in scores:
                values[f"trained.{d}.theory_{key}"] = scores["theory"][key]
        values[f"trained.{d}.net_class_identity_ratio"] = (
            seed_mean(scores, "T_class")[0] / seed_mean(scores, "T_identity")[0]
        )
    return values


def memorization_values(memorization: Mapping[str, NDArray]) -> dict[str, object]:
    """``trained.mem.*``: copy fractions per N (networks, exact score), range, seeds."""
    mem = memorization
    frac = mem["frac_net"].mean(axis=1)
    values: dict[str, object] = {}
    for n, f_net, f_exact, f_seeds in zip(
        mem["sizes"], frac, mem["frac_exact"], mem["frac_net"], strict=True
    ):
        values |= {f"trained.mem.N{n}.net": f_net, f"trained.mem.N{n}.exact": f_exact}
        values[f"trained.mem.N{n}.net_seeds"] = ", ".join(f"{v:.2f}" for v in f_seeds)
    return values | {
        "trained.mem.nmin": int(mem["sizes"][0]),
        "trained.mem.nmin_net_seeds": ", ".join(f"{v:.2f}" for v in mem["frac_net"][0]),
        "trained.mem.nmax": int(mem["sizes"][-1]),
        "trained.mem.net_min": frac[-1],
        "trained.mem.net_max": frac[0],
        "trained.mem.exact_min": float(mem["frac_exact"].min()),
        "trained.mem.seeds": len(mem["seeds"]),
    }


def run_values(runs: Sequence[Mapping], names: Sequence[str]) -> dict[str, object]:
    """``trained.run.<set>.*``: training record per set (loss averaged over seeds).

    No wall time: it differs from run to run, so it stays in the job's provenance record and out
    of the paper, which two builds of the same commit must reproduce byte for byte.
    """
    values: dict[str, object] = {}
    for name in names:
        recs = [r for r in runs if r["dataset"] == name]
        values[f"trained.run.{name}.loss"] = float(np.mean([r["final_loss_last100"] for r in recs]))
        values[f"trained.run.{name}.params"] = recs[0]["n_parameters"]
        values[f"trained.run.{name}.steps"] = recs[0]["training"]["steps"]
    return values | {"trained.device": runs[0]["device"], "trained.seeds": len(runs) // len(names)}


def values(summaries: Mapping, settings: Mapping) -> dict[str, object]:
    """Numbers the paper quotes (keys ``trained.*``); ``settings``: ``probes`` and ``noise``, and
    optionally ``two_cluster`` (the data config of the mixture: ``separation`` = |mu|, ``variance``
    = s^2 of each cluster)."""
    m = summaries["markers"]
    values = {
        **marker_values(m),
        **branching_values(summaries["branching"]),
        **commitment_values(summaries["commitment"]),
        **memorization_values(summaries["memorization"]),
        **run_values(summaries["runs"], list(m)),
    }
    probes_cfg = settings["probes"]
    values |= {
        f"trained.probe.{k}": probes_cfg[k]
        for k in ("n_steps", "n_trajectories", "kick", "peak_window")
    }
    values |= {f"trained.noise.{k}": v for k, v in settings["noise"].items()}
    values["trained.tau_star"] = markers.two_delta_susceptibility_peak()
    values["trained.phi_c"] = PHI_CRITICAL
    if "two_cluster" in settings:  # quoted as |mu| and |mu|^2, not as lambda_max - 1
        mixture = settings["two_cluster"]
        values["trained.mixture.mu_norm"] = mixture["separation"]
        values["trained.mixture.mu_squared"] = mixture["separation"] ** 2
        values["trained.mixture.variance"] = mixture["variance"]
    # sets left out by a config (e.g. digits10 in the smoke test) still define their keys
    keys = {
        k.split(".", 2)[2]
        for k in values
        if k.startswith(("trained.digits01.", "trained.mixture."))
    }
    for name in SETS:
        for key in keys:
            values.setdefault(f"trained.{name}.{key}", "n/a")
        for key in ("loss", "params", "steps"):
            values.setdefault(f"trained.run.{name}.{key}", "n/a")
    return values
