"""Every reference in the repository points to something in it, and every documented CLI command parses.

Fast (no Snakemake run; the only library module imported is the CLI, for its parser): links are
followed on the file system, ``thermodiff.<module>`` names are resolved through the syntax trees
of ``src/thermodiff`` (nothing is imported, so no module runs), and the ``thermodiff audit``
commands of the README, docs/ and the CLI's docstring go through the CLI's own parser.
"""

from __future__ import annotations

import ast
import io
import re
import shlex
import tokenize
from functools import cache
from pathlib import Path

import pytest

from thermodiff.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "thermodiff"
README_LIMIT = 8192  # bytes: the README is the front door, the rest lives in docs/
# Not the repository's own text: git's store, the virtualenv, outputs, caches
SKIPPED_DIRS = {".git", ".venv", "results", ".snakemake", ".whl", ".gl", "node_modules"}
SKIPPED_DIRS |= {"__pycache__", ".pytest_cache", ".ruff_cache"}
TEXT_SUFFIXES = {".py", ".smk", ".yaml", ".yml", ".md", ".rst", ".toml", ".sh", ".tex", ".txt"}
TEXT_NAMES = {"Snakefile", "Makefile"}

MD_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
MD_NAME = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w.-]+\.md)\b")
MODULE_NAME = re.compile(r"(?<![\w.])thermodiff(?:\.[A-Za-z_]\w*)+")
SECTION_REF = re.compile(r"(docs/[\w-]+\.md)\s+§")
TEST_NAME = re.compile(r"`(test_\w+)`")


def repository_files() -> list[Path]:
    """Text files of the checkout (tracked or not), without the virtualenv and the results."""
    files = []
    for path in sorted(ROOT.rglob("*")):
        parts = path.relative_to(ROOT).parts
        if any(part in SKIPPED_DIRS or part.endswith(".egg-info") for part in parts[:-1]):
            continue
        if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.name in TEXT_NAMES):
            files.append(path)
    return files


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def python_prose(source: str) -> str:
    """The comments and docstrings of a Python source: where it refers to other documents."""
    pieces = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            pieces.append(token.string)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = ast.get_docstring(node, clean=False)
            if docstring:
                pieces.append(docstring)
    return "\n".join(pieces)


def prose(path: Path) -> str:
    """What of a file may name documents and modules: all of it, or a Python file's comments and
    docstrings (its code is checked by running it)."""
    text = path.read_text(encoding="utf-8")
    return python_prose(text) if path.suffix == ".py" else text


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


# ---------------------------------------------------------------------------------------------
# Resolving names without importing them


@cache
def module_names(path: Path) -> frozenset[str]:
    """Names bound at the top level of a module (functions, classes, assignments, imports)."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return frozenset(names)


@cache
def class_members(path: Path, class_name: str) -> frozenset[str]:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            members = set()
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    members.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    members.add(item.target.id)
                elif isinstance(item, ast.Assign):
                    members.update(t.id for t in item.targets if isinstance(t, ast.Name))
            return frozenset(members)
    return frozenset()


def resolves(dotted: str) -> bool:
    """Whether ``thermodiff.a.b...`` is a module, package, package file or attribute under src/."""
    parts = dotted.split(".")[1:]
    here = PACKAGE
    for i, part in enumerate(parts):
        if (here / part).is_dir() and (here / part / "__init__.py").is_file():
            here = here / part
            continue
        if (here / f"{part}.py").is_file():
            return attributes_resolve(here / f"{part}.py", parts[i + 1 :])
        if (here / ".".join(parts[i:])).is_file():  # a data file of the package (a style sheet)
            return True
        return attributes_resolve(here / "__init__.py", parts[i:])
    return True


def attributes_resolve(module: Path, attributes: list[str]) -> bool:
    if not attributes:
        return True
    if attributes[0] not in module_names(module):
        return False
    if len(attributes) == 1:
        return True
    return attributes[1] in class_members(module, attributes[0]) and len(attributes) == 2


@cache
def headings(markdown: Path) -> tuple[str, ...]:
    found = []
    in_code = False
    for line in markdown.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and (m := re.match(r"#{1,6}\s+(.*\S)", line)):
            found.append(m.group(1).strip("` "))
    return tuple(found)


def section_problems(path: Path, text: str) -> list[str]:
    """``docs/<file>.md §<Heading>``: the file exists and each § after it names one of its headings."""
    problems = []
    for m in SECTION_REF.finditer(text):
        target = ROOT / m.group(1)
        if not target.is_file():
            problems.append(f"{rel(path)}: {m.group(1)} does not exist")
            continue
        line_end = text.find("\n", m.end())
        rest = text[m.end() - 1 : line_end if line_end >= 0 else len(text)]
        for section in re.finditer("§", rest):
            after = re.sub(r"\s+", " ", rest[section.end() :])
            if not any(after.startswith(h) for h in headings(target)):
                problems.append(f"{rel(path)}: {m.group(1)} has no section {after[:40]!r}")
    return problems


# ---------------------------------------------------------------------------------------------
# The checks


def test_readme_is_a_front_door_of_at_most_8_kb():
    size = (ROOT / "README.md").stat().st_size
    assert size <= README_LIMIT, f"README.md is {size} bytes; move reference material to docs/"


def test_readme_and_docs_relative_links_lead_to_files_and_headings():
    problems = []
    for page in markdown_files():
        for target in MD_LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):  # https:, mailto:
                continue
            file_part, _, anchor = target.partition("#")
            destination = (page.parent / file_part).resolve() if file_part else page
            if not destination.exists():
                problems.append(f"{rel(page)}: link {target} leads nowhere")
            elif anchor and destination.suffix == ".md":
                slugs = {github_slug(h) for h in headings(destination)}
                if anchor not in slugs:
                    problems.append(f"{rel(page)}: no heading #{anchor} in {rel(destination)}")
    assert not problems, "\n".join(problems)


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def test_every_md_file_named_in_code_config_and_docs_exists():
    problems = []
    for path in repository_files():
        for name in set(MD_NAME.findall(prose(path))):
            if not ((ROOT / name).is_file() or (path.parent / name).is_file()):
                problems.append(f"{rel(path)}: {name} is not in the repository")
    assert not problems, "\n".join(sorted(problems))


def test_every_section_reference_names_a_heading_of_its_document():
    problems = []
    for path in repository_files():
        problems += section_problems(path, prose(path))
    assert not problems, "\n".join(sorted(problems))


def test_every_thermodiff_module_named_in_comments_docstrings_and_config_exists():
    problems = []
    for path in repository_files():
        for dotted in sorted(set(MODULE_NAME.findall(prose(path)))):
            if is_placeholder(dotted):
                continue
            if not resolves(dotted):
                problems.append(f"{rel(path)}: {dotted} is not in src/thermodiff")
    assert not problems, "\n".join(problems)


def is_placeholder(dotted: str) -> bool:
    """``thermodiff.x``, ``thermodiff.a.b``: one-letter parts stand for any module in prose."""
    return any(len(part) == 1 for part in dotted.split(".")[1:])


def test_the_name_resolver_accepts_modules_and_attributes_and_refuses_inventions():
    assert resolves("thermodiff.meanfield")
    assert resolves("thermodiff.meanfield.two_delta_magnetisation")
    assert resolves("thermodiff.stages.STAGES")
    assert resolves("thermodiff.stages.trained")
    assert resolves("thermodiff.models.EDMDenoiser.forward")
    assert resolves("thermodiff.thermodiff.mplstyle")
    assert not resolves("thermodiff.experiments")
    assert not resolves("thermodiff.meanfield.no_such_function")
    assert not resolves("thermodiff.models.EDMDenoiser.no_such_method")
    assert is_placeholder("thermodiff.a.b") and not is_placeholder("thermodiff.io")


def test_every_test_named_in_the_theory_note_exists():
    defined = set()
    for test_file in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(test_file.read_text(encoding="utf-8"))
        defined.update(n.name for n in tree.body if isinstance(n, ast.FunctionDef))
    named = set(TEST_NAME.findall((ROOT / "docs" / "theory.md").read_text(encoding="utf-8")))
    assert len(named) >= 50  # the note names the tests of every formula
    assert sorted(named - defined) == []


# ---------------------------------------------------------------------------------------------
# Documented command lines of the CLI


def documented_audit_commands() -> list[tuple[str, str]]:
    """``(source, command line)`` of every ``thermodiff audit`` example in the README, docs/ and
    the CLI docstring (shell prompts and trailing comments removed)."""
    sources = [*markdown_files(), PACKAGE / "cli.py"]
    found = []
    for path in sources:
        text = prose(path) if path.suffix == ".py" else path.read_text(encoding="utf-8")
        for line in text.splitlines():
            line = line.strip().removeprefix("$ ")
            if line.startswith("thermodiff audit "):
                found.append((rel(path), line.split("  #")[0].strip()))
        for inline in re.findall(r"`(thermodiff audit [^`]*)`", text):
            found.append((rel(path), inline))
    # "thermodiff audit ..." names the command, it is not an example
    return [(source, command) for source, command in found if not command.endswith("...")]


# Placeholders of the documented commands and the real names a reader would put there
PLACEHOLDERS = {
    "<fig_id>": "fig01_two_delta_free_energy",
    "<id>": "meanfield.two_delta.critical_temperature",
    "<key>": "meanfield.two_delta.tc",
}


def test_the_documentation_has_audit_examples_everywhere_it_should():
    sources = {source for source, _ in documented_audit_commands()}
    assert {"README.md", "docs/audit.md", "src/thermodiff/cli.py"} <= sources


@pytest.mark.parametrize(
    ("source", "command"), documented_audit_commands(), ids=lambda value: str(value)[:60]
)
def test_documented_audit_command_parses_with_the_target_it_names(source, command):
    for placeholder, example in PLACEHOLDERS.items():
        command = command.replace(placeholder, example)
    words = shlex.split(command)
    args = build_parser().parse_args(words[1:])
    assert args.command == "audit"
    # every config file is one that exists, and none of them is a target
    assert all((ROOT / f).is_file() or f == "my.yaml" for f in args.configfile), command
    target = args.target
    assert (
        target == ["paper"]
        or (target[0] in ("claim", "value") and len(target) == 2)
        or (len(target) == 1 and target[0].startswith("results/"))
    ), f"{source}: {command!r} gives target {target}"
    if target[0] == "claim":
        assert re.fullmatch(r"(meanfield|dynamics|rem|trained)\.[\w.]+", target[1])
        assert claim_or_value_is_published(target[1]), f"{source}: no claim {target[1]}"
    if target[0] == "value":
        assert claim_or_value_is_published(target[1]), f"{source}: no value {target[1]}"
    if len(target) == 1 and target[0].endswith(".pdf") and "/figures/" in target[0]:
        fig_id = Path(target[0]).stem
        assert (ROOT / "scripts" / "figures" / f"{fig_id}.py").is_file(), f"no figure {fig_id}"


def claim_or_value_is_published(key: str) -> bool:
    """Whether a stage module of the library writes this claim id or value key (as a literal)."""
    quoted = (f'"{key}"', f"'{key}'")
    stage_sources = (PACKAGE / "stages").rglob("*.py")
    return any(q in path.read_text(encoding="utf-8") for path in stage_sources for q in quoted)


def test_configfile_takes_one_file_per_flag_and_leaves_the_target_alone():
    parser = build_parser()
    args = parser.parse_args(["audit", "--configfile", "config/smoke.yaml", "paper"])
    assert (args.configfile, args.target) == (["config/smoke.yaml"], ["paper"])
    args = parser.parse_args(["audit", "--configfile", "a.yaml", "--configfile", "b.yaml", "paper"])
    assert (args.configfile, args.target) == (["a.yaml", "b.yaml"], ["paper"])
    args = parser.parse_args(["audit", "claim", "rem.grid.tc", "--configfile", "a.yaml", "--json"])
    assert (args.configfile, args.target, args.json) == (["a.yaml"], ["claim", "rem.grid.tc"], True)
    # the default is a fresh list on every parse (appending never leaks into the next command)
    assert parser.parse_args(["audit", "paper"]).configfile == []
    assert parser.parse_args(["audit", "paper"]).configfile == []
