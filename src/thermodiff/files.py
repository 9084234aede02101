"""Files the workflow writes and reads back: atomic, deterministic, and checked on reading.

The lowest layer of the package's I/O (it imports no other ``thermodiff`` module):
:mod:`thermodiff.provenance` writes its records with it, and :mod:`thermodiff.io`, the boundary
between Snakemake jobs and the library, re-exports it to the job scripts. Every writer is

* **atomic**: the file appears under its final name only once it is complete (write to a temporary
  file in the same folder, then ``os.replace``), so an interrupted job never leaves a half-written
  output that looks complete;
* **deterministic**: the same content gives the same bytes (sorted JSON keys, zip archives with a
  fixed timestamp, PDFs without a creation date), which the bit-identical rebuild relies on;
* **shareable**: outputs get mode ``0o666 & ~umask`` like any file the user creates (a group-readable
  tree stays group-readable); temporaries are unique per writer (pid and a random suffix).

JSON objects carry the sha256 of their own content (key ``_sha256``); :func:`read_json` refuses a file
whose content no longer matches it, so a hand-edited intermediate is never used silently.
"""

from __future__ import annotations

import contextlib
import hashlib
import io as _io
import json
import os
import secrets
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
HASH_KEY = "_sha256"


class InputError(RuntimeError):
    """An input file is missing, corrupted or inconsistent with its manifest or record."""


# Jobs see it as part of their boundary, thermodiff.io, which re-exports it: a failed job's log
# ends with "thermodiff.io.InputError: <path>: ...", wherever the check that raised it lives.
InputError.__module__ = "thermodiff.io"


# ---------------------------------------------------------------------------------------------
# Atomic, deterministic writers


def unique_temporary(path: str | os.PathLike) -> Path:
    """A fresh, empty file next to ``path``, unique to this writer, created with the umask's mode.

    The name is ``.<name>.<pid>.<random>.part``: two writers of the same output (two jobs, two
    machines on a shared file system, a retried job next to a killed one) never share a temporary.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place only if the block succeeds.

    The temporary is created with mode ``0o666 & ~umask`` (as ``open`` would), so the output
    honours the umask; ``tempfile.mkstemp`` would force 0600.
    """
    path = Path(path)
    tmp = unique_temporary(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: str | os.PathLike, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def jsonable(obj: Any) -> Any:
    """``obj`` as plain JSON types: numpy arrays and scalars to lists and numbers, paths and
    other objects to strings, non-finite floats to ``"nan"``/``"inf"`` (JSON has no such numbers),
    mapping keys to strings."""
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, float) and not np.isfinite(obj):
        return str(obj)
    if isinstance(obj, str | int | float | bool) or obj is None:
        return obj
    if hasattr(obj, "items"):
        return {str(k): jsonable(v) for k, v in obj.items()}
    return str(obj)


def content_hash(obj: Any) -> str:
    """sha256 of the canonical JSON text (sorted keys, indent 2) of ``obj`` (already jsonable)."""
    return hashlib.sha256(json.dumps(obj, indent=2, sort_keys=True).encode("utf-8")).hexdigest()


def write_json(path: str | os.PathLike, obj: Any) -> None:
    """JSON with sorted keys and a trailing newline; numpy values converted.

    An object (dict) gains the key ``_sha256``: the :func:`content_hash` of the rest, checked by
    :func:`read_json`.
    """
    payload = jsonable(obj)
    if isinstance(payload, dict):
        payload.pop(HASH_KEY, None)
        payload[HASH_KEY] = content_hash(payload)
    write_text(path, json.dumps(payload, indent=2, sort_keys=True) + "\n")


def read_json(path: str | os.PathLike) -> Any:
    """Read a JSON file written by :func:`write_json`, refusing it if its content was altered.

    Raises
    ------
    InputError
        Naming ``path`` when an object lacks ``_sha256`` or its content no longer matches it.
    """
    with open(path, encoding="utf-8") as handle:
        payload = json.load(handle)
    if isinstance(payload, dict):
        recorded = payload.pop(HASH_KEY, None)
        if recorded is None:
            raise InputError(f"{path}: no {HASH_KEY} content hash; not written by the workflow")
        if recorded != content_hash(payload):
            raise InputError(
                f"{path}: content differs from its {HASH_KEY} hash; the file was edited after the "
                "job that wrote it. Delete it and rerun the workflow to rebuild it."
            )
    return payload


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = _io.BytesIO()
    np.save(buffer, np.asarray(array, order="C"), allow_pickle=False)
    return buffer.getvalue()


def save_npy(path: str | os.PathLike, array: np.ndarray) -> None:
    write_bytes(path, npy_bytes(np.asarray(array)))


def load_npy(path: str | os.PathLike) -> np.ndarray:
    return np.load(path, allow_pickle=False)


def save_npz(path: str | os.PathLike, **arrays: Any) -> None:
    """Like ``np.savez_compressed`` but byte-deterministic (fixed member timestamps, sorted names)."""
    with atomic_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(arrays):
                info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, npy_bytes(np.asarray(arrays[name])))


def write_table(path: str | os.PathLike, frame) -> None:
    """A pandas DataFrame as CSV (no index, 10 significant digits)."""
    write_text(path, frame.to_csv(index=False, float_format="%.10g", lineterminator="\n"))


def save_figure(fig, path: str | os.PathLike) -> None:
    """Save a matplotlib figure as a vector PDF without a creation date (byte-reproducible)."""
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="pdf", metadata={"CreationDate": None, "Creator": None})


# ---------------------------------------------------------------------------------------------
# Hashes and dataset manifests


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def write_dataset(
    directory: str | os.PathLike,
    arrays: Mapping[str, np.ndarray],
    *,
    seed: int | None,
    source: str,
    params: Mapping[str, Any] | None = None,
) -> dict:
    """Write each array as ``<directory>/<name>.npy`` and then ``manifest.json``.

    The manifest records, per file, sha256, shape and dtype, plus the seed, the source and the
    parameters. It is written last, so a dataset with a manifest is complete.
    """
    directory = Path(directory)
    files = {}
    for name in sorted(arrays):
        array = np.asarray(arrays[name])
        data = npy_bytes(array)
        write_bytes(directory / f"{name}.npy", data)
        files[f"{name}.npy"] = {
            "sha256": hashlib.sha256(data).hexdigest(),
            "shape": list(array.shape),
            "dtype": str(array.dtype),
        }
    manifest = {"files": files, "seed": seed, "source": source, "params": dict(params or {})}
    write_json(directory / "manifest.json", manifest)
    return manifest


def load_dataset(manifest_path: str | os.PathLike, verify: bool = True) -> dict[str, np.ndarray]:
    """Load every array listed in a manifest, checking sha256, shape and dtype.

    Raises
    ------
    InputError
        Naming the file that is missing or whose content differs from its manifest.
    """
    manifest_path = Path(manifest_path)
    manifest = read_json(manifest_path)
    arrays = {}
    for filename, meta in manifest["files"].items():
        path = manifest_path.parent / filename
        if not path.exists():
            raise InputError(f"{path}: listed in {manifest_path} but missing")
        if verify and sha256_file(path) != meta["sha256"]:
            raise InputError(
                f"{path}: sha256 differs from {manifest_path}; the file was modified after the data "
                "stage wrote it. Delete the dataset folder and rerun `snakemake data`."
            )
        array = load_npy(path)
        if list(array.shape) != meta["shape"] or str(array.dtype) != meta["dtype"]:
            raise InputError(f"{path}: shape/dtype differ from {manifest_path}")
        arrays[filename.removesuffix(".npy")] = array
    return arrays
