# Shared helpers: config validation (thermodiff.config_check), the results root, log/benchmark
# paths, and the registries of stages and figures that the claims, figures and paper rules collect.

import os
import sys

sys.path.insert(0, os.path.join(workflow.basedir, "src"))  # this checkout's library
from thermodiff.config_check import validate_config  # noqa: E402

# The same gate as `make check-config`: the config files are read again (a YAML alias that
# Snakemake's merge copied is refused as make refuses it), then the merged config is checked.
# A relative results root is resolved against the working directory, where Snakemake writes.
validate_config(
    config,
    os.path.join(workflow.basedir, "workflow/schemas/config.schema.yaml"),
    files=workflow.configfiles,
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


# The library's list of stages and its naming helpers (light: no numpy), from this checkout
# (src/ is on sys.path since the validation above).
from thermodiff.stages import STAGES as LIBRARY_STAGES, coupling_label

# Priorities among ready jobs (higher first): the DAG's two long chains start first, so that its
# end is many small independent jobs (figures, claims) that keep every core busy, instead of one
# long job finishing alone while the other cores idle.
PRIORITY_TRAINED = 10  # digits -> training sets -> training -> probes
PRIORITY_REM = 5  # pattern sets -> simulations -> summary -> claims

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


# ---- the checkout's commit (stamped into the paper)

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


# ---- what reruns a job (thermodiff.fingerprint): the library its script imports, its params


def _script_path(rl):
    return os.path.normpath(
        os.path.join(rl.basedir.get_path_or_uri(secret_free=True), rl.script)
    )


def _job_param_values(items, wildcards):
    """(name, value) of a job's params in the order the rule lists them; functions of the
    wildcards are evaluated, functions of input/output/threads/resources are left out (Snakemake
    leaves them out of its params check too: the files they derive from are tracked as such).
    """
    import inspect

    for name, item in items:
        if callable(item):
            if {"input", "output", "threads", "resources"} & set(
                inspect.signature(item).parameters
            ):
                continue
            item = item(wildcards)
        yield name, item


def add_rerun_params(all_rules):
    """Give every rule the params ``library`` (fingerprint of the thermodiff modules its script
    imports, directly or not) and ``param_key`` (its other params, in key order): editing such a
    module, or swapping two param values, reruns the job. Called once, after every include.
    """
    from thermodiff import fingerprint

    src = os.path.join(workflow.basedir, "src")
    # every Snakemake start-up computes them (a cluster job starts two): cached in .snakemake/
    libraries = fingerprint.library_fingerprints(
        [_script_path(rl) for rl in all_rules if rl.script],
        src,
        cache_dir=os.path.join(".snakemake", "thermodiff", "fingerprints"),
    )
    for rl in all_rules:
        items = list(rl.params._allitems())
        taken = {name for name, _ in items} & {"library", "param_key"}
        if taken:
            raise ValueError(
                f"{rl.name}: params {sorted(taken)} are set by add_rerun_params"
            )
        if rl.script:
            rl.set_params(library=libraries[_script_path(rl)])
        if items:
            rl.set_params(
                param_key=lambda wildcards, items=items: fingerprint.params_key(
                    _job_param_values(items, wildcards)
                )
            )


# ---- a complete tree: a target rule asks for every output of every job behind it
#
# Snakemake rebuilds a missing file only when a job that must run needs it. A job deletes its old
# outputs when it starts: killed then, its outputs are gone while its consumers' outputs are still
# there, and the next run calls the tree complete without them (the rerun-incomplete markers only
# cover outputs that exist). So the target rules ask for every output of every job they need:
# such an output, when missing, is rebuilt, and so is every job downstream of it.

# Set for the jobs of this run and what they start. A Snakemake started by a job (the rule graph
# drawn for the paper by scripts/paper/draw_rulegraph.py, a cluster job's own Snakemake) leaves
# the target rules as written: the drawn graph shows how data flows, not these extra requests.
STARTED_BY_A_JOB = os.environ.get("THERMODIFF_WORKFLOW_RUN") == "1"
os.environ.update(THERMODIFF_WORKFLOW_RUN="1")


def _job_files(path):
    """(outputs, inputs) of the job that writes ``path``: the first rule in ruleorder whose output
    matches ``path`` and whose inputs can be computed, as Snakemake picks it among unambiguous
    rules (tests/workflow/test_resume.py compares the result with Snakemake's own DAG); ``None``
    for a source file, which no rule writes."""
    from snakemake.exceptions import WorkflowError

    matching = [rl for rl in workflow.rules if any(o.match(path) for o in rl.output)]
    for rl in sorted(matching, reverse=True):  # ruleorder: higher first
        try:
            wildcards = rl.get_wildcards(path)
            output = rl.expand_output(wildcards)[0]
            input = rl.expand_input(wildcards)[0]
        # e.g. an input function that fails: Snakemake skips the rule too
        except WorkflowError:
            continue
        return [str(f) for f in output], [str(f) for f in input]
    return None


def job_outputs(targets):
    """Every output of every job that ``targets`` need, directly or not, computed from the rules
    (their outputs, wildcards and input functions), sorted. Logs and benchmarks are not outputs.
    """
    outputs, seen, todo = set(), set(), [str(t) for t in targets]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        found = _job_files(path)
        if found is not None:
            output, input = found
            outputs.update(output)
            seen.update(output)  # one job writes them all
            todo.extend(input)
    return sorted(outputs)


def request_every_output(all_rules):
    """Every target rule (inputs, nothing to run, no outputs) gets a second input, evaluated when
    the DAG is built: every output of every job its own inputs need (job_outputs). Called once,
    after every include; not in a Snakemake started by a job (STARTED_BY_A_JOB).
    """
    if STARTED_BY_A_JOB:
        return
    for rl in all_rules:
        if not (rl.norun and rl.input and not rl.output):
            continue
        if any(callable(f) or f.is_callable() for f in rl.input):
            raise ValueError(f"{rl.name}: a target rule lists files, not functions")
        own = [str(f) for f in rl.input]
        rl.set_input(
            lambda wildcards, own=own: sorted(set(job_outputs(own)) - set(own))
        )
