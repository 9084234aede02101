# Helpers of the trained-model stage (workflow/rules/trained.smk; included from the Snakefile just
# before it, since `snakemake --lint` wants functions apart from rules): settings, registries, paths
# and input functions.

TRAINED = config["trained"]
TRAINED_FIGURES = [
    "fig30_trained_susceptibility",
    "fig31_trained_clone_agreement",
    "fig32_trained_jacobian",
    "fig33_trained_class_commitment",
    "fig34_trained_memorization",
    "fig35_trained_samples",
]
register_stage("trained")
for _fig in TRAINED_FIGURES:
    register_figure(_fig)

# The GPU the training and probe jobs ask for (Snakemake resource `gpu`, which the SLURM executor
# turns into --gpus) is decided by the config, never by probing the host that runs Snakemake: on a
# cluster that is a login node without GPUs. trained.device: cuda asks for one; with "auto" a
# profile asks for one (workflow/profiles/gpu, or set-resources in workflow/profiles/slurm).
TRAINED_GPU = int(TRAINED["device"] == "cuda")
MAIN_SETS = TRAINED["datasets"]
MEM = TRAINED["memorization"]
MEM_SETS = [f"digitsN{n}" for n in MEM["sizes"]]
# sets with image classes (noise-and-regenerate, sample grid)
COMMIT_SETS = [d for d in MAIN_SETS if d.startswith("digits")]


def trained_set(dataset):
    return res(f"trained/sets/{dataset}.npz")


def trained_model(dataset, seed):
    return res(f"trained/models/{dataset}/seed{seed}/model.pt")


def trained_outputs(name, datasets, seeds):
    """File ``name`` of every model of a training job, set-major: ``[(d, s) for d in datasets
    for s in seeds]`` (the order of scripts/trained/train_denoisers.py)."""
    return [res(f"trained/models/{d}/seed{s}/{name}") for d in datasets for s in seeds]


def probe_scores(dataset):
    """Scores probed on a set: the exact one and every training seed."""
    return ["exact"] + [f"seed{s}" for s in TRAINED["seeds"]]


def branching_scores(dataset):
    """The (costly) CRN run of a finite set's exact score only where configured."""
    exact = dataset in TRAINED["probes"]["exact_branching"]
    return [s for s in probe_scores(dataset) if exact or s != "exact"]


def probe_models(wildcards):
    return [
        (
            None
            if score == "exact"
            else trained_model(wildcards.dataset, score[len("seed") :])
        )
        for score in probe_scores(wildcards.dataset)
    ]


def probe_inputs(wildcards):
    """Training set and the models of every trained score."""
    return {
        "train": trained_set(wildcards.dataset),
        "models": [m for m in probe_models(wildcards) if m is not None],
    }


def probe_outputs(kind, datasets):
    return [res(f"trained/probes/{d}/{kind}.json") for d in datasets]


def figure_inputs(kind, datasets):
    """Arrays of one probe kind for each set, and the sets' markers."""
    return {
        "arrays": [res(f"trained/probes/{d}/{kind}.npz") for d in datasets],
        "markers": [res(f"trained/sets/{d}.json") for d in datasets],
    }
