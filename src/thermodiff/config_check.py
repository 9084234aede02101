"""Checks of the workflow configuration, run before any job starts.

The schema (``workflow/schemas/``) states types, bounds and defaults; JSON Schema cannot express
the rest, which is checked here:

* every number is finite (NaN and +-inf pass ``minimum``/``exclusiveMinimum`` comparisons);
* integer keys refuse floats (JSON Schema counts ``40.0`` as an integer; jobs do not);
* ranges are ordered (``t_min < t_max``, ``min < max``, windows and size lists increasing);
* ``results`` stays inside the checkout unless it is an absolute path;
* the largest array a job allocates, estimated from the config, fits in the machine's memory.

Every problem is one line ``config key '<dotted.key>': <what is wrong>``. Nothing here runs a job
or writes a file; :func:`validate_config` raises :class:`ConfigError` with every problem, and
``python -m thermodiff.config_check [--configfile FILE ...]`` checks the files a run would merge
(YAML errors with file and line, a missing file as one line) before Snakemake is started.
"""

from __future__ import annotations

import copy
import math
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry
from referencing.jsonschema import DRAFT202012

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 50x faster
BYTES_PER_FLOAT = 8  # every dataset and pattern set is float64
# (lower key, upper key) pairs that must satisfy lower < upper wherever both appear in one mapping
ORDERED_PAIRS = (("t_min", "t_max"), ("min", "max"), ("t_min_ratio", "t_max_ratio"))
# lists that must be strictly increasing (besides every key ending in "window"), or decreasing
INCREASING = ("rem.memorization.n_samples", "rem.alpha_sweep.dims", "trained.memorization.sizes")
DECREASING = ("trained.probes.snapshot_temperatures",)


class ConfigError(ValueError):
    """The configuration cannot be run; the message has one line per problem."""


def _line(key: str, message: str) -> str:
    return f"  config key '{key or '<top level>'}': {message}"


# ---------------------------------------------------------------------------------------------
# Files


def load_yaml(path: str | os.PathLike) -> dict:
    """Read one YAML config file; a missing file or a syntax error is a one-line ConfigError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file {path} not found") from None
    except OSError as error:
        raise ConfigError(f"config file {path} cannot be read: {error.strerror}") from None
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: YAML syntax error: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: YAML error: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config file is a mapping of keys, got {type(data).__name__}")
    return data


def merge(base: dict, update: Mapping) -> dict:
    """``update`` merged recursively over ``base`` in place (as Snakemake merges config files)."""
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def load_schema(schema_path: str | os.PathLike) -> tuple[dict, Registry]:
    """The top-level schema and a registry resolving its relative ``$ref`` files.

    ``$schema`` is dropped from every file (all are Draft 2020-12): a subschema naming its dialect
    would make jsonschema switch back to the stock validator, losing the strict integer type.
    """
    schema_dir = Path(schema_path).parent

    def read(path: Path) -> dict:
        contents = yaml.load(path.read_text(), Loader=_LOADER)
        contents.pop("$schema", None)
        return contents

    resources = [
        (path.name, DRAFT202012.create_resource(read(path)))
        for path in sorted(schema_dir.glob("*.yaml"))
    ]
    return read(Path(schema_path)), Registry().with_resources(resources)


def machine_memory() -> int:
    """Physical memory of this machine in bytes."""
    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


# ---------------------------------------------------------------------------------------------
# Checks; each returns the problem lines (empty: fine)


def _walk(obj: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, obj
    if isinstance(obj, Mapping):
        for key, value in obj.items():
            yield from _walk(value, (*path, str(key)))
    elif isinstance(obj, list | tuple):
        for i, value in enumerate(obj):
            yield from _walk(value, (*path, str(i)))


def nonfinite_errors(cfg: Any) -> list[str]:
    """Every NaN or infinite number, anywhere in the config."""
    return [
        _line(".".join(path), f"{value} is not a finite number")
        for path, value in _walk(cfg)
        if isinstance(value, float) and not math.isfinite(value)
    ]


def _strict_validator(schema: dict, registry: Registry, fill_defaults: bool):
    """Draft 2020-12 validator whose ``integer`` refuses floats, optionally filling defaults."""
    base = jsonschema.Draft202012Validator
    checker = base.TYPE_CHECKER.redefine(
        "integer", lambda _, x: isinstance(x, int) and not isinstance(x, bool)
    )
    validators = {}
    if fill_defaults:
        properties = base.VALIDATORS["properties"]

        def set_defaults(validator, props, instance, subschema):
            if isinstance(instance, dict):
                for name, sub in props.items():
                    if "default" in sub and name not in instance:
                        instance[name] = copy.deepcopy(sub["default"])
            yield from properties(validator, props, instance, subschema)

        validators["properties"] = set_defaults
    cls = jsonschema.validators.extend(base, validators, type_checker=checker)
    return cls(schema, registry=registry)


def schema_errors(cfg: dict, schema: dict, registry: Registry, fill_defaults: bool) -> list[str]:
    """Every schema violation (integers strict); with ``fill_defaults``, defaults are set in place."""
    validator = _strict_validator(schema, registry, fill_defaults)
    errors = []
    for error in sorted(
        validator.iter_errors(cfg), key=lambda e: [str(p) for p in e.absolute_path]
    ):
        path = [str(p) for p in error.absolute_path]
        if error.validator == "additionalProperties":
            allowed = sorted(error.schema.get("properties", {}))
            for extra in sorted(set(error.instance) - set(allowed)):
                errors.append(
                    _line(".".join([*path, extra]), f"unknown key (allowed here: {allowed})")
                )
            continue
        message = error.message
        if error.validator == "type" and error.validator_value == "integer":
            message = f"{error.instance!r} is not an integer (write it without a decimal point)"
        errors.append(_line(".".join(path), message))
    return errors


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def order_errors(cfg: dict) -> list[str]:
    """Ranges whose ends are inverted or equal; lists that must increase (or decrease) but do not."""
    errors = []
    for path, value in _walk(cfg):
        key = ".".join(path)
        if isinstance(value, Mapping):
            for low, high in ORDERED_PAIRS:
                a, b = value.get(low), value.get(high)
                if _is_number(a) and _is_number(b) and not a < b:
                    errors.append(_line(f"{key}.{low}", f"{low}={a} must be below {high}={b}"))
        elif isinstance(value, list) and all(_is_number(v) for v in value):
            pairs = list(zip(value, value[1:], strict=False))
            if (path and path[-1].endswith("window")) or key in INCREASING:
                if not all(a < b for a, b in pairs):
                    errors.append(_line(key, f"{value} must be strictly increasing"))
            elif key in DECREASING and not all(a > b for a, b in pairs):
                errors.append(_line(key, f"{value} must be strictly decreasing (hottest first)"))
    return errors


def results_errors(cfg: dict) -> list[str]:
    """``results`` must be an absolute path or a folder strictly inside the checkout."""
    results = cfg.get("results")
    if not isinstance(results, str) or os.path.isabs(results):
        return []
    norm = os.path.normpath(results)
    if norm == "." or norm == ".." or norm.startswith(".." + os.sep):
        return [
            _line(
                "results",
                f"{results!r} leaves the checkout; use a folder inside it (e.g. results/mine) "
                "or an absolute path",
            )
        ]
    return []


def largest_arrays(cfg: dict) -> list[tuple[float, str, str]]:
    """Estimated largest array of each memory-heavy job: (log of its bytes, key, what it is).

    Logs, because ``rem.alpha_sweep`` sizes are ``N = e^{alpha d}`` and overflow a float for
    large ``d``. The estimates count one float64 array (the dataset or pattern set, N x d);
    jobs work on it in bounded chunks, so this array dominates.
    """
    data, meanfield, rem = cfg["data"], cfg["meanfield"], cfg["rem"]
    log8 = math.log(BYTES_PER_FLOAT)

    def rows_by_cols(n: float, d: float) -> float:
        return math.log(n) + math.log(d) + log8

    out = [
        (
            rows_by_cols(data["sphere"]["n_samples"], max(meanfield["sphere"]["dims"])),
            "data.sphere.n_samples",
            "sphere samples, n_samples x max(meanfield.sphere.dims)",
        ),
        (
            rows_by_cols(data["curie_weiss"]["n_samples"], data["curie_weiss"]["d"]),
            "data.curie_weiss.n_samples",
            "Curie-Weiss spins, n_samples x data.curie_weiss.d",
        ),
        (
            rows_by_cols(data["two_cluster"]["n_samples"], data["two_cluster"]["d"]),
            "data.two_cluster.n_samples",
            "two-cluster training set, n_samples x data.two_cluster.d",
        ),
        (
            rows_by_cols(max(rem["n_samples"]), max(rem["dims"])),
            "rem.n_samples",
            "Gaussian pattern set, max(rem.n_samples) x max(rem.dims)",
        ),
        (
            rows_by_cols(max(rem["memorization"]["n_samples"]), max(rem["memorization"]["dims"])),
            "rem.memorization.n_samples",
            "pattern set, max(n_samples) x max(dims) of rem.memorization",
        ),
    ]
    alpha = rem["alpha_sweep"]["alpha"]
    for d in rem["alpha_sweep"]["dims"]:
        out.append(
            (
                alpha * d + math.log(d) + log8,
                "rem.alpha_sweep.dims",
                f"pattern set e^(alpha d) x d at d={d}, alpha={alpha}",
            )
        )
    alpha, d = rem["binary"]["alpha"], rem["binary"]["dim"]
    out.append(
        (
            alpha * d + math.log(d) + log8,
            "rem.binary.dim",
            f"binary patterns e^(alpha d) x d at d={d}, alpha={alpha}",
        )
    )
    return out


def memory_errors(cfg: dict, memory_bytes: int) -> list[str]:
    """Every estimated array of :func:`largest_arrays` above ``memory_bytes``."""
    errors = []
    for log_bytes, key, what in largest_arrays(cfg):
        if log_bytes > math.log(memory_bytes):
            size = _human(log_bytes)
            errors.append(
                _line(
                    key,
                    f"a job would allocate {size} ({what}), more than this machine's "
                    f"{_human(math.log(memory_bytes))} of memory",
                )
            )
    return errors


def _human(log_bytes: float) -> str:
    exponent = log_bytes / math.log(1024)
    units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    if exponent >= len(units):
        return f"2^{log_bytes / math.log(2):.0f} B"
    unit = max(0, int(exponent))
    return f"{math.exp(log_bytes - unit * math.log(1024)):.3g} {units[unit]}"


# ---------------------------------------------------------------------------------------------
# Entry points


def config_problems(
    cfg: dict, schema_path: str | os.PathLike, memory_bytes: int | None = None
) -> list[str]:
    """Every problem of ``cfg`` (defaults are filled in place when the schema holds)."""
    schema, registry = load_schema(schema_path)
    nonfinite = nonfinite_errors(cfg)
    # a NaN or inf also breaks bounds; name each such key once
    problems = nonfinite + [
        line
        for line in schema_errors(cfg, schema, registry, fill_defaults=False)
        if line.split("'")[1] not in {n.split("'")[1] for n in nonfinite}
    ]
    if problems:
        return problems
    schema_errors(cfg, schema, registry, fill_defaults=True)
    memory = machine_memory() if memory_bytes is None else memory_bytes
    return order_errors(cfg) + results_errors(cfg) + memory_errors(cfg, memory)


def validate_config(
    cfg: dict, schema_path: str | os.PathLike, memory_bytes: int | None = None
) -> None:
    """Raise :class:`ConfigError` listing every problem; otherwise fill the defaults in place."""
    problems = config_problems(cfg, schema_path, memory_bytes)
    if problems:
        raise ConfigError(
            "Invalid configuration (nothing was run, nothing was changed):\n"
            + "\n".join(problems)
            + f"\nSee {schema_path} for every key, its type, default and bounds."
        )


def main(argv: list[str] | None = None) -> int:
    """``python -m thermodiff.config_check [--configfile FILE ...]`` in the checkout's root."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configfile", nargs="*", default=[], help="files merged over the base")
    parser.add_argument("--base", default="config/config.yaml")
    parser.add_argument("--schema", default="workflow/schemas/config.schema.yaml")
    args = parser.parse_args(argv)
    try:
        cfg = load_yaml(args.base)
        for path in args.configfile:
            merge(cfg, load_yaml(path))
        validate_config(cfg, args.schema)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
