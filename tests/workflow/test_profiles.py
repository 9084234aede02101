"""The SLURM and GPU profiles as Snakemake reads them (dry runs; `make test-slurm` runs SLURM)."""

import re

from .conftest import ROOT, snakemake

CHEAP = re.compile(r"plot_fig\w+|claims_\w+|collect_claims|collect_values|stamp_build|build_paper")


def test_every_cheap_rule_is_a_localrule():
    """Plots, claims, values, stamp and paper run where Snakemake runs, never as cluster jobs."""
    rules = set()
    for smk in (ROOT / "workflow/rules").glob("*.smk"):
        rules |= set(re.findall(r"^rule (\w+):", smk.read_text(), flags=re.MULTILINE))
    directive = re.search(
        r"^localrules:\n((?:    \w+,?\n)+)", (ROOT / "Snakefile").read_text(), re.M
    )
    assert directive, "the Snakefile has no localrules directive"
    local = set(re.findall(r"\w+", directive.group(1)))
    cheap = {r for r in rules if CHEAP.fullmatch(r)}
    assert len(cheap) >= 20
    assert cheap <= local, f"not local: {sorted(cheap - local)}"
    assert local <= rules, f"not rules: {sorted(local - rules)}"


def test_slurm_profile_groups_compute_jobs(repo_copy):
    done = snakemake(
        repo_copy,
        "--workflow-profile", "workflow/profiles/slurm",
        "--configfile", "config/smoke.yaml", "-n",
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "Using workflow specific profile workflow/profiles/slurm" in output
    for group in ("data", "meanfield", "rem", "train"):
        assert f"Group job {group}" in output
    # default config: no GPU is asked for (trained.device auto), whatever the submitting host has
    assert "gpu=1" not in output


def test_gpu_profile_gives_training_and_probes_one_gpu_each(repo_copy):
    done = snakemake(
        repo_copy,
        "--workflow-profile", "workflow/profiles/gpu",
        "--configfile", "config/smoke.yaml", "-n", "trained",
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    blocks = re.split(r"\n\s*\n", output)
    for rule in ("train_denoiser", "train_memorization", "probe_transition"):
        jobs = [b for b in blocks if re.search(rf"^\s*\w*rule {rule}:", b, flags=re.MULTILINE)]
        assert jobs and all("gpu=1" in b for b in jobs), rule
