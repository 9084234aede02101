# Shared helpers: config validation (thermodiff.config_check), the results root, log/benchmark
# paths, and the registries of stages and figures that the claims, figures and paper rules collect.

import os
import sys

sys.path.insert(0, os.path.join(workflow.basedir, "src"))  # this checkout's library
from thermodiff.config_check import validate_config  # noqa: E402

validate_config(
    config, os.path.join(workflow.basedir, "workflow/schemas/config.schema.yaml")
)

RESULTS = config["results"]

# Jobs import the library of this checkout (src/), whatever copy of thermodiff is installed.
os.environ.update(
    PYTHONPATH=os.pathsep.join(
        p
        for p in (os.path.join(workflow.basedir, "src"), os.environ.get("PYTHONPATH"))
        if p
    )
)
# Conda equivalent of envs/requirements.txt, used with `--sdm conda` (default route: pip).
CONDA_ENV = "../../envs/environment.yaml"


def res(path):
    """Path of a workflow output under the results root (``results/`` or ``results/smoke/``)."""
    return os.path.join(RESULTS, path)


def logfile(stage, name):
    return res(f"logs/{stage}/{name}.log")


def benchfile(stage, name):
    return res(f"benchmarks/{stage}/{name}.tsv")


def library(*modules):
    """Short sha256 of library modules a rule calls, given as a param so that editing the physics
    reruns the jobs that use it (Snakemake's code trigger only sees the rule's own script).
    """
    import hashlib

    digest = hashlib.sha256()
    for module in ("io", *modules):
        path = os.path.join(workflow.basedir, "src", "thermodiff", f"{module}.py")
        with open(path, "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:16]


# The library's list of stages and its naming helpers (light: no numpy), from this checkout
# (src/ is on sys.path since the validation above).
from thermodiff.stages import STAGES as LIBRARY_STAGES, coupling_label

# Registries filled by the stage rule files; claims.smk and paper.smk collect them.
STAGES = []
FIGURES = []
FIGURE_CATEGORIES = {}  # fig_id -> report category (filled by figure_outputs)


def register_stage(name):
    """A stage publishes res('claims/<name>.csv') and res('macros/<name>.tex'); its name must be
    one of thermodiff.stages.STAGES (the prefix of its claim ids)."""
    if name not in LIBRARY_STAGES:
        raise ValueError(
            f"stage {name!r} is not in thermodiff.stages.STAGES {LIBRARY_STAGES}"
        )
    if name not in STAGES:
        STAGES.append(name)


def register_figure(fig_id):
    """A figure is built by rule plot_<fig_id> into res('figures/<fig_id>.pdf')."""
    if fig_id not in FIGURES:
        FIGURES.append(fig_id)


def figure_outputs(fig_id, category):
    """Outputs of each plot_<fig_id> job: the figure (in the report) and its provenance record."""
    FIGURE_CATEGORIES[fig_id] = category
    return {
        "figure": report(
            ensure(res(f"figures/{fig_id}.pdf"), non_empty=True),
            caption=f"../report/{fig_id}.rst",
            category=category,
        ),
        "provenance": res(f"provenance/{fig_id}.json"),
    }


def all_figures():
    return [res(f"figures/{fig_id}.pdf") for fig_id in FIGURES]


def stage_claims():
    return [res(f"claims/{stage}.csv") for stage in STAGES]


def stage_values():
    return [res(f"macros/{stage}.tex") for stage in STAGES]


# ---- data stage helpers


# Arrays of each dataset (default: y only); the data rules write them, consumers declare them.
DATASET_ARRAYS = {
    "two_cluster": ("y", "labels", "mu"),
    "digits": ("y", "labels", "mean"),
    "digits_symmetric": ("y", "labels"),
}


def _arrays_of(name):
    """Arrays of dataset ``name`` ("sphere/d3" and "rem_gaussian/d3/r0" name their first part)."""
    kind = name.split("/")[0]
    return DATASET_ARRAYS.get(kind, ("y",))


def dataset_files(name, arrays=None):
    """Outputs of a dataset rule: one .npy per array and the manifest written last."""
    files = {a: res(f"data/{name}/{a}.npy") for a in arrays or _arrays_of(name)}
    files["manifest"] = res(f"data/{name}/manifest.json")
    return files


def dataset_arrays(name):
    """The .npy files of dataset ``name``, declared as inputs next to its manifest by every job
    that loads it: a replaced or edited array reruns the job, whose load_dataset then checks it
    against the manifest's sha256 and refuses it, naming the file."""
    return [res(f"data/{name}/{a}.npy") for a in _arrays_of(name)]


# ---- paper helpers

import subprocess


def git_describe():
    """Commit (with -dirty) and commit time of the checkout; only cheap stamp rules use them."""

    def run(*args):
        try:
            return subprocess.run(
                ["git", *args],
                cwd=workflow.basedir,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    commit = run("describe", "--always", "--dirty", "--abbrev=12") or "unknown"
    epoch = run("log", "-1", "--format=%ct") or "0"
    return commit, int(epoch), run("rev-parse", "HEAD")


GIT_COMMIT, GIT_EPOCH, GIT_SHA = git_describe()
WORKFLOW_SOURCES = ["Snakefile"] + sorted(
    os.path.join("workflow/rules", path)
    for path in os.listdir(os.path.join(workflow.basedir, "workflow/rules"))
    if path.endswith(".smk")
)
PAPER_SOURCES = sorted(
    os.path.join("paper", path)
    for path in os.listdir(os.path.join(workflow.basedir, "paper"))
    if path.endswith((".tex", ".bib"))
) + sorted(
    os.path.join("paper/sections", path)
    for path in os.listdir(os.path.join(workflow.basedir, "paper/sections"))
    if path.endswith(".tex")
)


# ---- rem stage helpers (pattern-set sizes and the files of the rem analyses)


def rem_pattern_rows(d):
    """Rows of the Gaussian pattern set of dimension d: the largest N any rem analysis uses."""
    rows = [2]
    if d in config["rem"]["dims"]:
        rows.append(max(config["rem"]["n_samples"]))
    if d in config["rem"]["memorization"]["dims"]:
        rows.append(max(config["rem"]["memorization"]["n_samples"]))
    if d in config["rem"]["alpha_sweep"]["dims"]:
        rows.append(rem_alpha_size(d))
    return max(rows)


def rem_alpha_size(d, alpha=None):
    """N = round(e^{alpha d}) of the fixed-alpha sweep (or of the binary set, given alpha)."""
    import math

    return int(round(math.exp((alpha or config["rem"]["alpha_sweep"]["alpha"]) * d)))


def rem_cells():
    """(kind, d, N) of every pattern-set analysis: the (d, N) grid, the alpha sweep, binary."""
    grid = [
        ("gaussian", d, n)
        for d in config["rem"]["dims"]
        for n in config["rem"]["n_samples"]
    ]
    alpha = [
        ("gaussian", d, rem_alpha_size(d)) for d in config["rem"]["alpha_sweep"]["dims"]
    ]
    d_bin = config["rem"]["binary"]["dim"]
    binary = [
        ("binary", d_bin, rem_alpha_size(d_bin, config["rem"]["binary"]["alpha"]))
    ]
    return {"grid": grid, "alpha": alpha, "binary": binary}


def rem_replicas(replica=None):
    """Indices of the independent pattern sets per (d, N), or just ``replica``."""
    return range(config["rem"]["n_datasets"]) if replica is None else [replica]


def rem_cell_files(group, replica=None):
    """Result files of the pattern-set analyses of one group of rem_cells(), every dataset."""
    return [
        res(f"rem/{kind}/d{d}_n{n}_r{r}.npz")
        for kind, d, n in rem_cells()[group]
        for r in rem_replicas(replica)
    ]


def rem_memorization_files(replica=None):
    """Result files of the generation runs, every (d, N) of rem.memorization and dataset."""
    mem = config["rem"]["memorization"]
    return [
        res(f"rem/memorization/d{d}_n{n}_r{r}.npz")
        for d in mem["dims"]
        for n in mem["n_samples"]
        for r in rem_replicas(replica)
    ]
