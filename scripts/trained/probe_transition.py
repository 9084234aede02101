"""Every probe (CRN branching, Jacobian trajectories, commitment) for every score of one set."""

from thermodiff import io as tio
from thermodiff.stages import trained
from thermodiff.training import resolve_device

log = tio.start_job(snakemake)
p, out = snakemake.params, snakemake.output
train = trained.load_training_set(tio.load_npz(snakemake.input.train))
device = resolve_device(p.device)
kinds = {"branching": trained.run_branching, "trajectories": trained.run_trajectories,
         "commitment": trained.run_commitment}  # fmt: skip
arrays = {kind: {"t_ref": train["t_ref"]} for kind in kinds}
summaries = {kind: {} for kind in kinds}
for score, model in zip(p.scores, p.models, strict=True):
    denoiser = trained.score_denoiser(score, train, model, device)
    for kind, run in kinds.items():
        if kind == "branching" and score not in p.branching_scores:
            continue
        result = run(denoiser, train, p.noise, p.probes)
        curves, scalars = result if isinstance(result, tuple) else (result, {})
        arrays[kind] |= trained.tag_by_score(score, curves)
        summaries[kind][score] = scalars
        log.info("%s %s/%s: %s", kind, p.dataset, score, scalars)
curves, theory = trained.commitment_theory(train, p.noise, p.probes)  # exact score, no sampler
if theory:
    arrays["commitment"] |= trained.tag_by_score("theory", curves)
    summaries["commitment"]["theory"] = theory
    log.info("commitment %s/theory: %s", p.dataset, theory)
if "mu" in train:  # the mixture's closed forms as theory lines of the branching figure
    t_b = trained.split_by_score(arrays["branching"])[p.scores[-1]]["T"]
    theory, summaries["branching"]["theory"] = trained.mixture_theory(train, t_b.min(), t_b.max())
    arrays["branching"] |= trained.tag_by_score("theory", theory)
for kind in kinds:
    tio.save_npz(out[f"{kind}_arrays"], **arrays[kind])
    record = {"dataset": p.dataset, "kind": kind, "scores": summaries[kind]}
    tio.write_json(out[f"{kind}_summary"], record)
tio.finish_job(snakemake)
