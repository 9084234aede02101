"""The boundary between Snakemake jobs and the library: how a job script starts, reads and ends.

Every script in ``scripts/`` starts with :func:`start_job` and ends with :func:`finish_job`;
physics modules never import this one. In between it writes its outputs with the writers of
:mod:`thermodiff.files`, re-exported here, and reads what other jobs wrote through checked
readers: dataset arrays against their manifest (:func:`load_dataset`), JSON against its own
``_sha256`` (:func:`read_json`), and every other declared input under the results root (an
``.npz``, a ``model.pt``) against the sha256 its producer's provenance record lists
(:data:`CHECKED_SUFFIXES`, :func:`load_npz`). A file that fails its check stops the job with an
:class:`InputError` naming it.

Imports go one way: :mod:`thermodiff.files` <- :mod:`thermodiff.provenance` <- this module.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from thermodiff import provenance
from thermodiff.files import (
    HASH_KEY,
    InputError,
    atomic_path,
    content_hash,
    jsonable,
    load_dataset,
    load_npy,
    npy_bytes,
    read_json,
    save_figure,
    save_npy,
    save_npz,
    sha256_file,
    unique_temporary,
    write_bytes,
    write_dataset,
    write_json,
    write_table,
    write_text,
)

__all__ = [
    "CHECKED_SUFFIXES",
    "HASH_KEY",
    "InputError",
    "atomic_path",
    "check_input",
    "content_hash",
    "finish_job",
    "jsonable",
    "load_dataset",
    "load_npy",
    "load_npz",
    "npy_bytes",
    "read_json",
    "remove_stale_temporaries",
    "save_figure",
    "save_npy",
    "save_npz",
    "sha256_file",
    "start_job",
    "unique_temporary",
    "write_bytes",
    "write_dataset",
    "write_json",
    "write_table",
    "write_text",
]

#: Inputs whose only check is the sha256 in their producer's record (``.npy`` have manifests,
#: JSON their own ``_sha256``); :func:`start_job` checks every declared one before the job runs.
CHECKED_SUFFIXES = (".npz", ".pt")
logger = logging.getLogger("thermodiff")


@dataclass
class _Job:
    """The running job (one per process): when it started and what it already checked."""

    results: str
    started: float
    checked: set[str] = field(default_factory=set)  # absolute paths
    producers: provenance.Producers | None = None


_job: _Job | None = None


# ---------------------------------------------------------------------------------------------
# Checked reads of other jobs' outputs


def _in_folder(path: str | os.PathLike, folder: str | os.PathLike) -> bool:
    path, folder = os.path.abspath(path), os.path.abspath(folder)
    return os.path.commonpath([path, folder]) == folder


def check_input(path: str | os.PathLike, results: str | os.PathLike | None = None) -> None:
    """Refuse ``path`` unless its sha256 is the one its producer's job record lists.

    ``results`` is the results root whose job records to ask (default: the running job's). Files
    outside that root are no job's output and are not checked; neither is anything outside a job
    when ``results`` is not given. Within a job each file is hashed once.

    Raises
    ------
    InputError
        Naming ``path`` when it differs from its record, or no intact record lists it.
    """
    if results is None:
        if _job is None:
            return
        job = _job
    else:
        job = _Job(str(results), time.time())
    key = os.path.abspath(path)
    if key in job.checked or not _in_folder(key, job.results):
        return
    if job.producers is None:
        job.producers = provenance.Producers(job.results)
    job.producers.check(path)
    job.checked.add(key)


def load_npz(
    path: str | os.PathLike, results: str | os.PathLike | None = None
) -> dict[str, np.ndarray]:
    """All arrays of an ``.npz`` file as a plain dict (the file is closed on return), after
    :func:`check_input` (``results`` as there)."""
    check_input(path, results)
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


# ---------------------------------------------------------------------------------------------
# Job start and end


def _log_uncaught(kind, value, tb) -> None:
    """``sys.excepthook`` of a job: the traceback goes to the job's log (and stderr) and ends it."""
    text = "".join(traceback.format_exception(kind, value, tb)).rstrip("\n")
    logger.error("job failed with an uncaught exception:\n%s", text)
    logging.shutdown()


def remove_stale_temporaries(outputs) -> list[Path]:
    """Remove the temporaries that a killed writer of ``outputs`` left next to them (named
    ``.<name>.<pid>.<random>.part`` by :func:`thermodiff.files.unique_temporary`); return them.

    Called when a job starts: Snakemake runs one job at a time per output (its locks see to that
    across runs), so a temporary of this job's outputs that exists now belongs to a writer that
    died (SIGKILL, a lost node), and a resumed tree must not keep it.
    """
    removed = []
    for output in outputs:
        path = Path(output)
        for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def start_job(smk) -> logging.Logger:
    """Set up a Snakemake script job: log to ``log[0]`` (and stderr), bound the thread count,
    check the declared inputs that only a provenance record vouches for.

    An uncaught exception is written, with its traceback, at the end of ``log[0]`` (on a cluster
    the job's stderr is often lost; Snakemake points to the log). Every declared input with a
    suffix in :data:`CHECKED_SUFFIXES` under the results root is checked (:func:`check_input`)
    before the script uses it, whichever library function loads it later.

    Returns the ``thermodiff`` logger. Thread count comes from the rule's ``threads`` so that
    BLAS and torch use what the scheduler granted and no more.
    """
    global _job
    started = time.time()
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if len(smk.log) > 0:
        Path(smk.log[0]).parent.mkdir(parents=True, exist_ok=True)
        Path(smk.log[0]).write_text("")  # a fresh log per run ...
        # ... appended to (O_APPEND): lines land after what a subprocess writes to the same file
        handlers.append(logging.FileHandler(smk.log[0], mode="a"))
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )
    logging.captureWarnings(True)
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # PDF font subsetting chatter
    threads = max(1, int(getattr(smk, "threads", 1)))
    with contextlib.suppress(ImportError):
        from threadpoolctl import threadpool_limits

        threadpool_limits(threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)
    sys.excepthook = _log_uncaught
    logger.info("rule %s: %d thread(s)", getattr(smk, "rule", "?"), threads)
    _job = _Job(provenance.results_root(smk), started)
    for tmp in remove_stale_temporaries(provenance.declared_files(getattr(smk, "output", []))):
        logger.info("removed %s, left by a writer that was killed", tmp)
    for path in provenance.declared_files(getattr(smk, "input", [])):
        if path.endswith(CHECKED_SUFFIXES):
            check_input(path)
    return logger


def finish_job(smk) -> None:
    """The last line of every job script: write the job's provenance record.

    Written here, in the script's own code path, once every output exists: a script that raised
    never gets here and writes no record, and a record that cannot be written (a full disk, a
    missing output) raises, so the job fails with the traceback in its log instead of ending
    without a record. The record (:func:`thermodiff.provenance.write_record`) goes to
    :func:`thermodiff.provenance.job_record_path`.
    """
    script = provenance.script_of_job()
    if script is None or not script.is_file():
        raise RuntimeError("finish_job: the job is not a script file; nothing to record")
    path = provenance.job_record_path(smk)
    provenance.write_record(
        smk,
        path,
        provenance.declared_files(smk.output),
        script=script,
        started=_job.started if _job is not None else None,
    )
    logger.info("provenance record: %s", path)
