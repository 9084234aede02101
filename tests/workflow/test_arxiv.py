"""The arXiv tarball of the smoke build compiles alone, as arXiv compiles it, into the same paper.

Fast tier: the arxiv target on a private copy of the shared smoke build (only ``arxiv_source``
runs), then two pdflatex runs in an empty folder, without BibTeX, ``TEXINPUTS`` or ``results/``.
"""

import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from .conftest import copy_tree, snakemake

RESULTS = "results/smoke"
TARBALL = f"{RESULTS}/arxiv/thermodiff-arxiv.tar.gz"
FOLDER = f"{RESULTS}/arxiv/thermodiff-arxiv"
UNDEFINED = re.compile(
    r"undefined references|Reference `[^']*' .*undefined|Citation `[^']*'.*undefined"
)

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdflatex", "pdftotext", "pdfinfo", "kpsewhich")),
    reason="needs pdflatex and poppler-utils (make tex)",
)


def build_arxiv(workdir: Path, *extra: str) -> bytes:
    done = snakemake(workdir, "arxiv", "--configfile", "config/smoke.yaml", "--cores", "2", *extra)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return (workdir / TARBALL).read_bytes()


def tex_trees() -> list[str]:
    """The folders of this machine's TeX distribution: its texmf trees and texmf.cnf folders."""

    def expand(spec: str) -> list[str]:
        out = subprocess.run(
            ["kpsewhich", f"--expand-path={spec}"], capture_output=True, text=True, check=True
        ).stdout.strip()
        return [p for p in out.split(os.pathsep) if p]

    specs = ("$TEXMF", "$TEXMFCNF", "$TEXMFSYSVAR", "$TEXMFVAR", "$TEXMFCONFIG")
    return [os.path.normpath(p) for spec in specs for p in expand(spec)]


def recorded(folder: Path) -> dict[str, set[str]]:
    """{"INPUT"/"OUTPUT": absolute paths} from pdflatex's recorder file in ``folder``."""
    lines = (folder / "main.fls").read_text().splitlines()
    pwd = next(line[4:] for line in lines if line.startswith("PWD "))
    files: dict[str, set[str]] = {"INPUT": set(), "OUTPUT": set()}
    for line in lines:
        kind, _, path = line.partition(" ")
        if kind in files:
            files[kind].add(os.path.normpath(os.path.join(pwd, path)))
    return files


def pdflatex(folder: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.endswith(("TEXINPUTS", "BIBINPUTS"))}
    env.pop("TEXMFHOME", None)
    done = subprocess.run(
        ["pdflatex", "-recorder", "-interaction=nonstopmode", "-halt-on-error", "main.tex"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = (folder / "main.log").read_text(errors="replace")
    assert done.returncode == 0, log[-3000:]
    return log


def pdf_pages_and_text(pdf: Path, build_paths: list[Path]) -> tuple[str, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for path in build_paths:
        text = text.replace(str(path), "<build>")
    return pages, text


def test_arxiv_tarball_compiles_alone_into_the_same_paper(smoke_copy, tmp_path):
    data = build_arxiv(smoke_copy)
    assert len(data) < 10_000_000
    submit = tmp_path / "submit"
    submit.mkdir()
    with tarfile.open(smoke_copy / TARBALL) as tar:
        members = tar.getmembers()
        names = [m.name for m in members]
        assert names == sorted(names) and "main.tex" in names and "main.bbl" in names
        assert all(m.isfile() and not m.name.startswith(("/", "..")) for m in members)
        tar.extractall(submit, filter="data")
    # the unpacked copy next to the tarball is the tarball
    unpacked = smoke_copy / FOLDER
    assert sorted(str(p.relative_to(unpacked)) for p in unpacked.rglob("*") if p.is_file()) == names
    for name in names:
        assert (unpacked / name).read_bytes() == (submit / name).read_bytes(), name
    # no file names this machine's checkout, and no BibTeX database: arXiv reads main.bbl
    for name in names:
        assert str(smoke_copy).encode() not in (submit / name).read_bytes(), name
    assert not [n for n in names if n.endswith((".bib", ".aux", ".fls", ".log"))]

    for _ in range(2):  # arXiv runs pdflatex until the references settle
        log = pdflatex(submit)
    assert not UNDEFINED.findall(log), UNDEFINED.findall(log)
    assert "Rerun to get" not in log

    files = recorded(submit)
    root = os.path.normpath(submit)
    trees = tex_trees()

    def in_tex(path: str) -> bool:  # as named, or where a link in the distribution points
        return any(p.startswith(t + os.sep) for p in (path, os.path.realpath(path)) for t in trees)

    outside = sorted(
        p
        for p in files["INPUT"] | files["OUTPUT"]
        if not p.startswith(root + os.sep) and not in_tex(p)
    )
    assert not outside, f"the arXiv build opened files outside its folder and TeX: {outside}"
    read = {os.path.relpath(p, root) for p in files["INPUT"] if p.startswith(root + os.sep)}
    unused = sorted(set(names) - read)
    assert not unused, f"files in the tarball that the build never opened: {unused}"

    pages, text = pdf_pages_and_text(submit / "main.pdf", [submit])
    pages_ref, text_ref = pdf_pages_and_text(smoke_copy / RESULTS / "paper/main.pdf", [smoke_copy])
    assert int(pages) > 10
    assert (pages, text) == (pages_ref, text_ref)


def test_arxiv_tarball_is_the_same_bytes_in_another_checkout(smoke_copy, tmp_path):
    first = build_arxiv(smoke_copy)
    other = copy_tree(smoke_copy, tmp_path / "elsewhere")
    second = build_arxiv(other, "--forcerun", "arxiv_source")
    assert first == second
