"""Checks of the workflow configuration, run before any job starts.

The schema (``workflow/schemas/``) states types, bounds and defaults; JSON Schema cannot express
the rest, which is checked here:

* no YAML alias (an anchor alone is harmless) and no nesting deeper than ``MAX_DEPTH``: ten lines
  of aliases expand to 10^9 values, so they are refused (naming the key) before anything walks
  the config;
* every number is finite (NaN and +-inf pass ``minimum``/``exclusiveMinimum`` comparisons);
* integer keys refuse floats (JSON Schema counts ``40.0`` as an integer; jobs do not);
* ranges are ordered (``t_min < t_max``, ``min < max``, windows and size lists increasing);
* no list repeats a value (one rule for every list of sizes, temperatures, seeds or names);
* ``results`` is a usable path (no control character, no component over ``NAME_MAX`` bytes) that,
  with its links resolved, lies strictly inside the checkout, or is an absolute folder that is
  neither ``/``, a folder directly under it, nor inside a system tree (``/etc``, ``/usr``, ...);
* the largest array a job allocates, estimated from the config, fits in the machine's memory.

Every string of the schema has a ``maxLength`` (``MAX_STRING``: Linux's ``PATH_MAX``, ample for
a path or a URL). Every problem is one line ``config key '<dotted.key>': <what is wrong>`` that
shows at most ``SHOWN`` characters of a bad value or key. Nothing here runs a job or writes a file;
:func:`validate_config` raises :class:`ConfigError` with every problem, and
``python -m thermodiff.config_check [--configfile FILE ...]`` checks the files a run would merge
(YAML errors with file and line, a missing or empty file as one line) before Snakemake is started.
"""

from __future__ import annotations

import copy
import math
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from snakemake.utils import update_config

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 50x faster
BYTES_PER_FLOAT = 8  # every dataset and pattern set is float64
# (lower key, upper key) pairs that must satisfy lower < upper wherever both appear in one mapping
ORDERED_PAIRS = (("t_min", "t_max"), ("min", "max"), ("t_min_ratio", "t_max_ratio"))
# lists that must be strictly increasing (besides every key ending in "window"), or decreasing
INCREASING = ("rem.memorization.n_samples", "rem.alpha_sweep.dims", "trained.memorization.sizes")
DECREASING = ("trained.probes.snapshot_temperatures",)
SHOWN = 80  # characters of a bad value (or key) a message shows; longer ones end in an ellipsis
MAX_STRING = 4096  # Linux PATH_MAX; the schema's maxLength of a path or URL (tested)
NAME_MAX = 255  # bytes of one path component on Linux file systems
MAX_DEPTH = 32  # nesting of the config; the schema's deepest key is 5 levels down
# Resolved results roots never lie in these trees of the operating system (``lib*``: lib, lib64,
# libx32, ...); nor may the root be ``/`` or a folder directly under it (``/var``, ``/home``,
# ``/tmp``), where the results' own folders (logs/, figures/, ...) would mix with the system's.
SYSTEM_TREES = ("bin", "boot", "dev", "etc", "lib*", "proc", "sbin", "sys", "usr")


class ConfigError(ValueError):
    """The configuration cannot be run; the message has one line per problem."""


def _show(value: Any) -> str:
    """``repr`` of a value cut to ``SHOWN`` characters: one line (escapes), never a whole file."""
    text = repr(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "\u2026"


def _has_control(text: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in text)


def _key(path: tuple | list) -> str:
    """Dotted key; a component that is long or holds a control character is shown escaped."""
    parts = []
    for part in path:
        part = str(part)
        parts.append(_show(part) if len(part) > SHOWN or _has_control(part) else part)
    return ".".join(parts)


def _line(key: str, message: str) -> str:
    return f"  config key '{key or '<top level>'}': {message}"


# ---------------------------------------------------------------------------------------------
# Files


def _alias_problem(root: yaml.Node) -> str | None:
    """The first YAML alias (a node met twice) or over-deep node, as ``config key '...': ...``.

    Walks the composed node graph once, each node once, in document order (so an anchor is met
    before its aliases): linear in the file, whatever the aliases would expand to.
    """
    seen: dict[int, tuple[str, ...]] = {}
    stack: list[tuple[yaml.Node, tuple[str, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            line = node.start_mark.line + 1 if node.start_mark else "?"
            return (
                f"config key '{_key(path)}': a YAML alias of the value at line {line} "
                f"('{_key(seen[id(node)])}'); config files take no aliases (ten lines of them "
                "expand to 10^9 values): write the value out"
            )
        seen[id(node)] = path
        if len(path) > MAX_DEPTH:
            return (
                f"config key '{_key(path[:MAX_DEPTH])}...': nested deeper than {MAX_DEPTH} levels"
            )
        if isinstance(node, yaml.MappingNode):
            children = []
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                children += [(key_node, (*path, key)), (value_node, (*path, key))]
            stack.extend(reversed(children))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed([(v, (*path, str(i))) for i, v in enumerate(node.value)]))
    return None


def load_yaml(path: str | os.PathLike) -> dict:
    """Read one YAML config file; every problem with the file is a one-line ConfigError naming it.

    A missing or unreadable file, a syntax error (with line and column), an empty file, a document
    that is not a mapping, and a YAML alias (with the key) are refused. Aliases are found on the
    composed nodes, before anything expands them.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file {path} not found") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"config file {path} is not UTF-8 text: {error.reason}") from None
    except OSError as error:
        raise ConfigError(f"config file {path} cannot be read: {error.strerror}") from None
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        problem = None if node is None else _alias_problem(node)
        if problem:
            raise ConfigError(f"{path}: {problem}")
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: YAML syntax error: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: YAML error: {_show(str(error))}") from None
    finally:
        loader.dispose()
    if data is None:
        # Snakemake refuses such a file too ("Config file must be given as JSON or YAML with keys
        # at top level"); say which file, and how to write "no settings"
        raise ConfigError(f"config file {path} is empty: write {{}} for a file with no settings")
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config file is a mapping of keys, got {type(data).__name__}")
    return data


def merge(base: dict, update: Mapping) -> dict:
    """``update`` merged recursively over ``base`` in place, and ``base``: Snakemake's own merge
    of config files (``snakemake.utils.update_config``), so that ``make check-config`` and
    ``thermodiff audit`` see the config a run sees."""
    update_config(base, update)
    return base


def merged_config(
    files: Iterable[str | os.PathLike], base: str | os.PathLike = "config/config.yaml"
) -> dict:
    """``base`` with ``files`` merged over it in order (:func:`load_yaml`, :func:`merge`), as
    ``snakemake --configfile FILE ...`` merges them over the Snakefile's configfile."""
    cfg = load_yaml(base)
    for path in files:
        merge(cfg, load_yaml(path))
    return cfg


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


def shared_node_errors(cfg: Any) -> list[str]:
    """Lists or mappings met twice (a YAML alias that Snakemake kept) and nesting past MAX_DEPTH.

    Visits each object once, so it stays linear where a plain walk would expand the aliases; the
    other checks walk the config only when this finds nothing.
    """
    seen: dict[int, tuple[str, ...]] = {}
    reported: set[int] = set()
    errors = []
    stack: list[tuple[Any, tuple[str, ...]]] = [(cfg, ())]
    while stack:
        obj, path = stack.pop()
        if not isinstance(obj, Mapping | list | tuple):
            continue  # numbers and strings are immutable: sharing one costs nothing
        if id(obj) in seen:
            if id(obj) in reported:
                continue  # one line per shared value, however often it is repeated
            reported.add(id(obj))
            errors.append(
                _line(
                    _key(path),
                    f"repeats the value of '{_key(seen[id(obj)])}' (a YAML alias); config files "
                    "take no aliases (ten lines of them expand to 10^9 values): write it out",
                )
            )
            continue
        seen[id(obj)] = path
        if len(path) > MAX_DEPTH:
            if not any("nested deeper" in line for line in errors):  # the first branch is enough
                errors.append(
                    _line(_key(path[:MAX_DEPTH]) + "...", f"nested deeper than {MAX_DEPTH} levels")
                )
            continue
        items = obj.items() if isinstance(obj, Mapping) else enumerate(obj)
        stack.extend(reversed([(value, (*path, str(key))) for key, value in items]))
    return errors


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
        _line(_key(path), f"{value} is not a finite number")
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
            for extra in sorted(set(error.instance) - set(allowed), key=str):
                errors.append(_line(_key([*path, extra]), f"unknown key (allowed here: {allowed})"))
            continue
        # jsonschema quotes the whole value (a 100 kB string, a long list): show its start only
        message = error.message.replace(repr(error.instance), _show(error.instance))
        if error.validator == "type" and error.validator_value == "integer":
            message = (
                f"{_show(error.instance)} is not an integer (write it without a decimal point)"
            )
        if error.validator == "maxLength":
            message = f"{_show(error.instance)} is {len(error.instance)} characters long; at most "
            message += f"{error.validator_value}"
        errors.append(_line(_key(path), message))
    return errors


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def order_errors(cfg: dict) -> list[str]:
    """Ranges whose ends are inverted or equal; lists that must increase (or decrease) but do not."""
    errors = []
    for path, value in _walk(cfg):
        key = _key(path)
        if isinstance(value, Mapping):
            for low, high in ORDERED_PAIRS:
                a, b = value.get(low), value.get(high)
                if _is_number(a) and _is_number(b) and not a < b:
                    errors.append(_line(f"{key}.{low}", f"{low}={a} must be below {high}={b}"))
        elif isinstance(value, list) and all(_is_number(v) for v in value):
            pairs = list(zip(value, value[1:], strict=False))
            if (path and path[-1].endswith("window")) or key in INCREASING:
                if not all(a < b for a, b in pairs):
                    errors.append(_line(key, f"{_show(value)} must be strictly increasing"))
            elif key in DECREASING and not all(a > b for a, b in pairs):
                errors.append(
                    _line(key, f"{_show(value)} must be strictly decreasing (hottest first)")
                )
    return errors


def duplicate_errors(cfg: dict) -> list[str]:
    """Every list that repeats a value: sizes, temperatures, seeds and names are each listed once.

    One rule for every list of the config (the schema has no ``uniqueItems``): a repeated size or
    temperature would name two jobs' outputs alike or draw one curve twice.
    """
    errors = []
    for path, value in _walk(cfg):
        if not isinstance(value, list):
            continue
        seen = set()
        for item in value:
            if not isinstance(item, int | float | str) or isinstance(item, bool):
                continue
            if item in seen:
                errors.append(_line(_key(path), f"{_show(item)} appears twice in {_show(value)}"))
                break
            seen.add(item)
    return errors


def path_text_problem(text: str) -> str | None:
    """Why ``text`` cannot name a file on Linux (a NUL or other control character, a component
    over ``NAME_MAX`` bytes), or None."""
    for i, char in enumerate(text):
        if _has_control(char):
            return f"{_show(text)} holds the control character {char!r} at position {i}"
    for part in text.split("/"):
        if len(part.encode("utf-8")) > NAME_MAX:
            size = len(part.encode("utf-8"))
            return (
                f"the path component {_show(part)} is {size} bytes; a name has at most {NAME_MAX}"
            )
    return None


def _system_folder(real: str) -> str | None:
    """The system folder that the resolved absolute path ``real`` is or lies in, or None."""
    parts = Path(real).parts[1:]
    if len(parts) <= 1:  # "/" itself or a folder directly under it
        return real
    top = parts[0]
    if any(top == t or (t.endswith("*") and top.startswith(t[:-1])) for t in SYSTEM_TREES):
        return f"/{top}"
    return None


def results_errors(cfg: dict, root: str | os.PathLike | None = None) -> list[str]:
    """``results`` names a folder strictly inside the checkout ``root`` (default: the working
    directory, where make and Snakemake run) once its links are resolved, or an absolute folder
    outside any system folder (links resolved too): a link can never carry the results elsewhere.
    """
    results = cfg.get("results")
    if not isinstance(results, str):
        return []
    problem = path_text_problem(results)
    if problem:
        return [_line("results", problem)]
    real = os.path.realpath(os.path.join(root or os.getcwd(), results))
    if os.path.isabs(results):
        system = _system_folder(real)
        if system is None:
            return []
        via = "" if real == os.path.normpath(results) else f" (it resolves to {_show(real)})"
        return [
            _line(
                "results",
                f"{_show(results)} is or lies in the system folder {_show(system)}{via}; "
                "use a folder of its own, e.g. /scratch/<you>/thermodiff",
            )
        ]
    norm = os.path.normpath(results)
    if norm == "." or norm == ".." or norm.startswith(".." + os.sep):
        return [
            _line(
                "results",
                f"{_show(results)} leaves the checkout; use a folder inside it (e.g. results/mine) "
                "or an absolute path",
            )
        ]
    checkout = os.path.realpath(root or os.getcwd())
    if os.path.commonpath([checkout, real]) != checkout or real == checkout:
        return [
            _line(
                "results",
                f"{_show(results)} resolves, through a link, to {_show(real)}, which is not a "
                "folder inside the checkout; write an absolute path if one is meant",
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
    cfg: dict,
    schema_path: str | os.PathLike,
    memory_bytes: int | None = None,
    root: str | os.PathLike | None = None,
) -> list[str]:
    """Every problem of ``cfg`` (defaults are filled in place when the schema holds).

    Order matters: shared nodes first (one linear pass; nothing else walks a config that has
    them), then the schema (unknown keys, types, bounds), then the walks of the whole config.
    ``root`` is the checkout that a relative ``results`` must stay in (default: the working
    directory).
    """
    shared = shared_node_errors(cfg)
    if shared:
        return shared
    schema, registry = load_schema(schema_path)
    schema_lines = schema_errors(cfg, schema, registry, fill_defaults=False)
    nonfinite = nonfinite_errors(cfg)
    # a NaN or inf also breaks bounds; name each such key once
    nonfinite_keys = {line.split("'")[1] for line in nonfinite}
    problems = nonfinite + [
        line for line in schema_lines if line.split("'")[1] not in nonfinite_keys
    ]
    if problems:
        return problems
    schema_errors(cfg, schema, registry, fill_defaults=True)
    memory = machine_memory() if memory_bytes is None else memory_bytes
    order = order_errors(cfg)
    # an unordered list with a repeat is named once, by the order rule
    ordered_keys = {line.split("'")[1] for line in order}
    duplicates = [line for line in duplicate_errors(cfg) if line.split("'")[1] not in ordered_keys]
    return order + duplicates + results_errors(cfg, root) + memory_errors(cfg, memory)


def validate_config(
    cfg: dict,
    schema_path: str | os.PathLike,
    memory_bytes: int | None = None,
    files: Iterable[str | os.PathLike] = (),
    root: str | os.PathLike | None = None,
) -> None:
    """Raise :class:`ConfigError` listing every problem; otherwise fill the defaults in place.

    ``files`` are the YAML files ``cfg`` was merged from (Snakemake's ``workflow.configfiles``):
    each is read again by :func:`load_yaml`, so that a YAML alias, which Snakemake's merge may
    have copied out of sight, is refused as ``make check-config`` refuses it, in the same words.
    """
    for path in files:
        load_yaml(path)
    problems = config_problems(cfg, schema_path, memory_bytes, root)
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
        validate_config(merged_config(args.configfile, args.base), args.schema)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
