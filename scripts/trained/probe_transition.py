"""Every probe (CRN branching, Jacobian trajectories, commitment) for every score of one set."""

from thermodiff import io as tio
from thermodiff.stages.trained import denoiser_factories, probe_files, probe_runs, training_sets
from thermodiff.training import resolve_device

log = tio.start_job(snakemake)
p, out = snakemake.params, snakemake.output
train = training_sets.load_training_set(tio.load_npz(snakemake.input.train))
device = resolve_device(p.device)
kinds = {"branching": probe_runs.run_branching, "trajectories": probe_runs.run_trajectories,
         "commitment": probe_runs.run_commitment}  # fmt: skip
arrays = {kind: {"t_ref": train["t_ref"]} for kind in kinds}
summaries = {kind: {} for kind in kinds}
for score, model in zip(p.scores, p.models, strict=True):
    denoiser = denoiser_factories.score_denoiser(score, train, model, device)
    for kind, run in kinds.items():
        if kind == "branching" and score not in p.branching_scores:
            continue
        result = run(denoiser, train, p.noise, p.probes)
        curves, scalars = result if isinstance(result, tuple) else (result, {})
        arrays[kind] |= probe_files.tag_by_score(score, curves)
        summaries[kind][score] = scalars
        log.info("%s %s/%s: %s", kind, p.dataset, score, scalars)
curves, theory = probe_runs.commitment_theory(train, p.noise, p.probes)  # exact score, no sampler
if theory:
    arrays["commitment"] |= probe_files.tag_by_score("theory", curves)
    summaries["commitment"]["theory"] = theory
    log.info("commitment %s/theory: %s", p.dataset, theory)
if "mu" in train:  # the mixture's closed forms as theory lines of the branching figure
    t_b = probe_files.split_by_score(arrays["branching"])[p.scores[-1]]["T"]
    theory, summaries["branching"]["theory"] = probe_runs.mixture_theory(
        train, t_b.min(), t_b.max()
    )
    arrays["branching"] |= probe_files.tag_by_score("theory", theory)
for kind in kinds:
    tio.save_npz(out[f"{kind}_arrays"], **arrays[kind])
    record = {"dataset": p.dataset, "kind": kind, "scores": summaries[kind]}
    tio.write_json(out[f"{kind}_summary"], record)
tio.finish_job(snakemake)
