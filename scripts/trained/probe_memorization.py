"""Memorization against the training-set size N: trained networks vs the exact (REM) score."""

import numpy as np
import torch

from thermodiff import io as tio
from thermodiff import probes, rem
from thermodiff.stages.trained import denoiser_factories, grids, probe_runs, training_sets

log = tio.start_job(snakemake)
p, q = snakemake.params, snakemake.params.probes
full = tio.load_dataset(snakemake.input.digits)["y"]
s2, dim = float(np.trace(np.cov(full, rowvar=False, bias=True))) / full.shape[1], full.shape[1]
frac_net = np.zeros((len(p.sizes), len(p.seeds)))
frac_exact, t_rem, t_own = (np.zeros(len(p.sizes)) for _ in range(3))
for i, n in enumerate(p.sizes):
    train = training_sets.load_training_set(tio.load_npz(snakemake.input.sets[i]))
    y, t_ref = train["y"], train["t_ref"]
    temps = grids.sampler_temperatures(
        t_ref, p.noise["t_max_over_tc"], p.noise["t_min_over_tc"], q["n_steps"]
    )
    cov = np.cov(y, rowvar=False, bias=True) if n > 1 else np.zeros((dim, dim))
    gen = torch.Generator().manual_seed(q["seed"])
    x = probes.gaussian_start(y.mean(0), cov, temps[0], p.n_samples, gen)
    scores = ["exact"] + [snakemake.input.models[i * len(p.seeds) + j] for j in range(len(p.seeds))]
    for j, model in enumerate(scores):
        den = denoiser_factories.score_denoiser("exact" if j == 0 else "net", train, model)
        x0, _ = probes.generate(den, x, temps, q["seed"])
        frac = probes.memorization_fraction(x0.numpy(), y, p.copy_ratio)[0]
        if j == 0:
            frac_exact[i] = frac
        else:
            frac_net[i, j - 1] = frac
    # REM condensation (docs/theory.md §Random energy model and memorization): isotropic formula, and where the median weight of a cue's
    # own training image crosses 1/2 along a temperature grid (measured on the data)
    t_rem[i] = float(rem.critical_temperature(n, dim, s2))
    t_own[i] = probe_runs.own_weight_crossing(y, t_ref, q["seed"])
    log.info("N = %d: copies net %s, exact %.2f; T_REM %.3g, own-weight crossing %.3g",
             n, frac_net[i], frac_exact[i], t_rem[i], t_own[i])  # fmt: skip
tio.save_npz(
    snakemake.output.memorization, sizes=np.asarray(p.sizes), seeds=np.asarray(p.seeds),
    frac_net=frac_net, frac_exact=frac_exact, t_rem=t_rem, t_own=t_own,
    t_min=p.noise["t_min_over_tc"] * t_ref, s2=s2, n_samples=p.n_samples,
)  # fmt: skip
tio.finish_job(snakemake)
