"""What reruns a job is content, not file times (issue 20, part 4).

Snakemake's ``code`` trigger compares a script's file time with the outputs', so a fresh clone
with a copy of a finished tree, or a ``touch``, planned every job. The profiles leave it off: the
``library`` param (thermodiff.fingerprint) hashes the script and the library it imports, and input
times count only where an input's sha256 differs from the one Snakemake recorded. Both directions
are tested on copies of the finished smoke build with dry runs: new file times plan nothing; a
change of a script's or the config's content plans exactly the jobs it touches and everything
downstream of them, and an input file changed on disk is still caught.
"""

import os
import re
import time

import pytest
import yaml

from .conftest import ROOT, copy_tree, output, snakemake

SMOKE = ("--configfile", "config/smoke.yaml")
RESULTS = "results/smoke"
NOTHING = "Nothing to be done"


def plan(workdir, *args):
    """Rule -> number of jobs a dry run plans (empty when there is nothing to do)."""
    done = snakemake(workdir, *args, *SMOKE, "-n", "--quiet", "rules")
    assert done.returncode == 0, output(done)[-3000:]
    if NOTHING in output(done):
        return {}
    rows = re.findall(r"^(\w+)\s+(\d+)$", output(done), re.M)
    assert rows, output(done)[-3000:]
    return {rule: int(n) for rule, n in rows if rule != "total"}


def source_files(tree):
    """Every file of the checkout but what a build writes (results/, .snakemake/)."""
    return [
        p
        for p in tree.rglob("*")
        if p.is_file() and p.relative_to(tree).parts[0] not in ("results", ".snakemake")
    ]


def test_every_profile_reruns_on_content_with_the_same_triggers():
    """Default, SLURM and GPU profiles: no `code` (script file time) trigger, inputs checksummed
    up to the same size, so a tree judged up to date by one is up to date for the others."""
    profiles = {
        name: yaml.safe_load((ROOT / f"workflow/profiles/{name}/config.yaml").read_text())
        for name in ("default", "slurm", "gpu")
    }
    for name, profile in profiles.items():
        assert profile["rerun-triggers"] == ["params", "input", "software-env"], name
        assert profile["max-checksum-file-size"] == "1GB", name
        assert profile["scheduler"] == "greedy", name  # by priority, no solver process per step


@pytest.mark.slow
def test_a_moved_tree_with_new_file_times_plans_nothing(smoke_run, tmp_path):
    """A clone elsewhere with a copy of results/ and .snakemake/ whose file times are all new:
    every source file newer than every output, and the outputs in reverse order of their making
    (each input newer than what was made from it). Nothing is planned; an input whose content
    then changes is still caught, and only its consumers rerun."""
    clone = copy_tree(smoke_run[0], tmp_path / "elsewhere" / "thermodiff")
    outputs = sorted(
        (p for p in (clone / RESULTS).rglob("*") if p.is_file()), key=lambda p: p.stat().st_mtime
    )
    now = time.time()
    for rank, path in enumerate(outputs):
        os.utime(path, (now - 3600 - rank, now - 3600 - rank))
    for path in source_files(clone):
        os.utime(path, (now, now))
    assert plan(clone) == {}
    array = clone / RESULTS / "data/two_delta/y.npy"
    data = bytearray(array.read_bytes())
    data[-1] ^= 0x01
    array.write_bytes(bytes(data))
    changed = plan(clone)
    assert "compute_two_delta" in changed and "make_two_delta" not in changed, changed


@pytest.mark.slow
def test_touching_every_source_file_plans_nothing(smoke_copy):
    files = source_files(smoke_copy)
    assert smoke_copy / "scripts/trained/train_denoisers.py" in files and len(files) > 100
    for path in files:
        os.utime(path)
    assert plan(smoke_copy) == {}


def edit_script(tree):
    script = tree / "scripts/rem/simulate_rem_digits.py"
    script.write_text(script.read_text() + "# a comment is a change of the job's code\n")


def edit_config(tree):
    # in the file itself: another config file would change the params of the rules that list
    # the config files (the build stamp, the rule graph)
    path = tree / "config/smoke.yaml"
    config = yaml.safe_load(path.read_text())
    assert config["rem"]["digits"]["num"] != 12
    config["rem"]["digits"]["num"] = 12  # other temperatures
    path.write_text(yaml.safe_dump(config, sort_keys=False))  # params keep their key order
    return ()


@pytest.mark.slow
@pytest.mark.parametrize("edit", [edit_script, edit_config], ids=["script", "config"])
def test_a_content_change_reruns_exactly_its_jobs_and_their_consumers(edit, smoke_copy):
    """Editing the script of simulate_rem_digits, or a config value only it reads, plans what
    forcing that rule plans: its job and every job downstream of it, and nothing else."""
    forced = plan(smoke_copy, "--forcerun", "simulate_rem_digits")
    assert forced["simulate_rem_digits"] == 1 and forced["build_paper"] == 1
    assert "simulate_rem_grid" not in forced and "make_digits" not in forced
    edit(smoke_copy)
    assert plan(smoke_copy) == forced
    done = snakemake(smoke_copy, *SMOKE, "-n")
    block = re.search(r"^rule simulate_rem_digits:\n(?:    .*\n)+", output(done), re.M).group(0)
    assert "reason: Params have changed since last execution" in block
