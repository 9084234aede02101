r"""The paper's arXiv source: one folder that ``pdflatex main.tex`` compiles alone.

arXiv compiles the sources itself, without BibTeX, without our ``TEXINPUTS`` and without
``results/``. The pipeline's LaTeX build (``build_paper``) finds its generated inputs (values,
claims table, figures) through ``TEXINPUTS``; what it actually opened is in its recorder file
(``main.fls``), so the folder holds exactly those files and nothing else:

* files under ``paper/`` keep their path relative to ``paper/`` (``main.tex``,
  ``sections/<name>.tex``, a local ``.sty``), so ``\input{sections/...}`` resolves unchanged;
* generated TeX inputs (``values.tex``, ``claims_table.tex``, ...) go to the top level, where
  their bare ``\input{values.tex}`` finds them; generated graphics go to ``figures/``, which
  ``main.tex`` adds to ``\graphicspath``;
* the ``.bbl`` of the build becomes ``main.bbl`` (arXiv reads it in place of running BibTeX);
  ``.aux``, ``.out`` and the like are left out: pdflatex writes them again.

The TeX files are rewritten only where the folder requires it: comments are removed (arXiv
publishes the sources; ours describe the build, not the document), ``\href`` links into the
repository or to local files print their text without the link, and ``main.tex`` gets the
``\pdfoutput=1``, a header comment and the ``\graphicspath``. The typeset text does not change.

Pure functions on text and bytes; the job script ``scripts/paper/arxiv_source.py`` reads and
writes the files.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import tarfile
from collections.abc import Iterable, Mapping

#: arXiv's limit for a submission is larger; ours is what a paper of this size should stay under
MAX_BYTES = 10_000_000
#: where generated graphics go inside the folder (``\graphicspath`` in main.tex)
FIGURES = "figures/"
#: TeX sources that are rewritten (comments, links); anything else is copied byte for byte
TEX_SUFFIXES = (".tex",)
GRAPHICS_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".eps")
#: verbatim-like environments whose ``%`` is text, not a comment
VERBATIM = ("verbatim", "verbatim*", "lstlisting", "minted", "Verbatim")

_VERB = re.compile(r"\\verb\*?([^a-zA-Z*\s])")
_BEGIN_VERBATIM = re.compile(r"\\begin\{(" + "|".join(re.escape(v) for v in VERBATIM) + r")\}")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# a command that reads a file, given an absolute path, a home folder or a parent folder
_OUTSIDE_READ = re.compile(
    r"\\(?:input|include|InputIfFileExists|includegraphics|figgraphics|graphicspath"
    r"|bibliography|usepackage|documentclass|includepdf)\*?\s*(?:\[[^\]]*\]\s*)?"
    r"\{\s*\{?(?:/|~|[A-Za-z]:[/\\]|\.\./)[^}]*\}"
)


class ArxivError(ValueError):
    """The build's files cannot make a self-contained arXiv folder (the message says why)."""


# ---------------------------------------------------------------------------------------------
# What the build opened


def recorded_inputs(fls_text: str, workdir: str) -> list[str]:
    """The files a LaTeX run opened for reading, from its recorder file (``-recorder``, on by
    default in latexmk), as absolute normalised paths, in order, each once.

    Relative paths are relative to the recorder's ``PWD``. Paths under that ``PWD`` are moved
    onto ``workdir``: a built tree that was copied elsewhere (a test's private copy) still
    names its own files.
    """
    pwd = None
    seen: dict[str, None] = {}
    for line in fls_text.splitlines():
        if line.startswith("PWD "):
            pwd = os.path.normpath(line[4:])
        elif line.startswith("INPUT "):
            if pwd is None:
                raise ArxivError("recorder file without a PWD line before its first INPUT")
            path = os.path.normpath(os.path.join(pwd, line[6:]))
            if _under(path, pwd):
                path = os.path.normpath(os.path.join(workdir, os.path.relpath(path, pwd)))
            seen.setdefault(path, None)
    if pwd is None:
        raise ArxivError("not a LaTeX recorder file (no PWD line)")
    return list(seen)


def _under(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def plan_files(
    inputs: Iterable[str],
    *,
    workdir: str,
    paper_dir: str,
    latex_dir: str,
    declared: Iterable[str],
) -> dict[str, str]:
    """{name in the arXiv folder: source path} for the files of the build in ``inputs``.

    ``declared`` are the generated files the paper rule lists as inputs (values, claims table,
    figures, appendix); all paths absolute. A file under ``paper_dir`` keeps its relative path;
    a declared TeX input goes to the top level, a declared graphic to :data:`FIGURES`; of the
    LaTeX build's own files only the ``.bbl`` is kept, as ``main.bbl``. Files elsewhere outside
    ``workdir`` belong to the TeX distribution and are left out.

    Raises
    ------
    ArxivError
        When the build read a file of the checkout that is neither a paper source nor a declared
        input (the folder would lack it), or two files would get the same name.
    """
    declared = {os.path.normpath(p) for p in declared}
    plan: dict[str, str] = {}
    for path in inputs:
        if _under(path, latex_dir):
            if not path.endswith(".bbl"):
                continue  # .aux, .out, .toc: pdflatex writes them again
            name = "main.bbl"  # arXiv compiles main.tex, so the bibliography is main.bbl
        elif _under(path, paper_dir):
            name = os.path.relpath(path, paper_dir).replace(os.sep, "/")
        elif path in declared:
            base = os.path.basename(path)
            name = FIGURES + base if path.lower().endswith(GRAPHICS_SUFFIXES) else base
        elif _under(path, workdir):
            raise ArxivError(
                f"the paper build read {os.path.relpath(path, workdir)}, which is neither in "
                "paper/ nor an input of the paper rule: declare it, or the arXiv folder lacks it"
            )
        else:
            continue  # the TeX distribution: arXiv has its own
        if name in plan and plan[name] != path:
            raise ArxivError(f"two files would be {name} in the arXiv folder: {plan[name]}, {path}")
        plan[name] = path
    if "main.tex" not in plan:
        raise ArxivError("the build did not read paper/main.tex")
    return plan


# ---------------------------------------------------------------------------------------------
# Rewriting the TeX sources


def _comment_start(line: str) -> int | None:
    """Index of the ``%`` that starts a comment in ``line`` (not ``\\%``, not inside ``\\verb``)."""
    i = 0
    while i < len(line):
        char = line[i]
        if char == "\\":
            verb = _VERB.match(line, i)
            if verb:
                end = line.find(verb.group(1), verb.end())
                if end < 0:
                    return None  # \verb runs to the end of the line
                i = end + 1
                continue
            i += 2  # a control symbol such as \% or \\
            continue
        if char == "%":
            return i
        i += 1
    return None


def strip_comments(tex: str) -> str:
    """``tex`` without its comments, typesetting the same.

    A line that is only a comment is dropped; a comment after text becomes a bare ``%``, which
    keeps TeX from reading the end of the line as a space. ``\\%``, ``\\verb`` and verbatim
    environments are text and stay.
    """
    out = []
    verbatim_end = None
    for line in tex.splitlines(keepends=True):
        if verbatim_end is not None:
            out.append(line)
            if verbatim_end in line:
                verbatim_end = None
            continue
        start = _comment_start(line)
        code = line if start is None else line[:start]
        begin = _BEGIN_VERBATIM.search(code)
        if begin:
            verbatim_end = f"\\end{{{begin.group(1)}}}"
            if verbatim_end in code[begin.end() :]:
                verbatim_end = None
            else:
                out.append(line)  # the rest of the line is verbatim text already
                continue
        if start is None:
            out.append(line)
        elif code.strip():
            out.append(code + "%" + ("\n" if line.endswith("\n") else ""))
    return "".join(out)


def _braced(tex: str, start: int) -> int:
    """Index just after the brace group that opens at ``tex[start] == "{"``."""
    if start >= len(tex) or tex[start] != "{":
        raise ArxivError(f"expected '{{' at {tex[start : start + 20]!r}")
    depth, i = 0, start
    while i < len(tex):
        char = tex[i]
        if char == "\\":
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ArxivError(f"unbalanced braces after {tex[start : start + 40]!r}")


def unlink_repository(tex: str, repository: str = "") -> str:
    r"""``\href{url}{text}`` becomes ``text`` when ``url`` points into ``repository`` (a prefix
    such as ``https://github.com/owner/name``) or to a local file (no URL scheme, or ``file:``
    and ``run:``); other links stay.

    The figure captions link each script at the built commit; arXiv keeps a paper forever, and
    such a link names a repository that may be private, renamed or gone, so the caption keeps
    the path as text.
    """
    out, i = [], 0
    prefix = repository.rstrip("/")
    while (found := tex.find(r"\href", i)) >= 0:
        after = found + len(r"\href")
        if after < len(tex) and tex[after].isalpha():  # another command, e.g. \hrefx
            out.append(tex[i:after])
            i = after
            continue
        url_start = after + len(tex[after:]) - len(tex[after:].lstrip())
        url_end = _braced(tex, url_start)
        text_start = url_end + len(tex[url_end:]) - len(tex[url_end:].lstrip())
        text_end = _braced(tex, text_start)
        url = tex[url_start + 1 : url_end - 1].strip()
        # a scheme-less target is a file; "#..." an anchor, "\..." a macro's argument: kept
        local = url.startswith(("file:", "run:")) or not (
            _URL_SCHEME.match(url) or url.startswith(("#", "\\"))
        )
        if (prefix and url.startswith(prefix)) or local:
            out.append(tex[i:found] + tex[text_start + 1 : text_end - 1])
        else:
            out.append(tex[i:text_end])
        i = text_end
    out.append(tex[i:])
    return "".join(out)


def add_graphicspath(tex: str, folder: str = FIGURES) -> str:
    r"""``tex`` with ``\graphicspath{{<folder>}}`` on the line before ``\begin{document}``."""
    marker = r"\begin{document}"
    at = tex.find(marker)
    if at < 0:
        raise ArxivError(r"main.tex has no \begin{document}")
    return tex[:at] + f"\\graphicspath{{{{{folder}}}}}\n" + tex[at:]


def rewrite(name: str, data: bytes, *, repository: str = "", header: str = "") -> bytes:
    """The bytes of ``name`` in the arXiv folder: TeX sources without comments and repository
    links; ``main.tex`` also starts with ``\\pdfoutput=1`` and ``header`` (as comment lines),
    and gets the figures folder; anything else unchanged."""
    if not name.endswith(TEX_SUFFIXES):
        return data
    tex = unlink_repository(strip_comments(data.decode("utf-8")), repository)
    if name == "main.tex":
        tex = add_graphicspath(tex)
        tex = "".join(f"% {line}\n" for line in header.splitlines()) + tex
        # arXiv picks pdflatex rather than latex+dvips when \pdfoutput=1 is in the first 5 lines
        if not re.match(r"\s*\\pdfoutput\s*=\s*1", tex):
            tex = "\\pdfoutput=1\n" + tex
    return tex.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Checks and the tarball


def check_self_contained(files: Mapping[str, bytes], forbidden: Iterable[str]) -> None:
    """Refuse a folder whose TeX files read a file by an absolute path or from a parent folder,
    or name a path of this machine (``forbidden``: the checkout, the results root), or that
    reaches :data:`MAX_BYTES`.

    Graphics are not searched: a short path would match bytes of a compressed stream by chance.

    Raises
    ------
    ArxivError
        Naming the file and the path it contains, or the largest files when too large.
    """
    forbidden = [path for path in forbidden if path]
    for name, data in sorted(files.items()):
        if name.lower().endswith(GRAPHICS_SUFFIXES):
            continue
        text = data.decode("utf-8", errors="replace")
        if outside := _OUTSIDE_READ.search(text):
            raise ArxivError(f"{name} reads a file outside the folder: {outside.group(0)}")
        for path in forbidden:
            if path in text:
                raise ArxivError(f"{name} contains the local path {path}")
    size = sum(len(data) for data in files.values())
    if size >= MAX_BYTES:
        largest = sorted(files, key=lambda n: -len(files[n]))[:5]
        raise ArxivError(
            f"the arXiv folder has {size / 1e6:.1f} MB (limit {MAX_BYTES / 1e6:.0f} MB); "
            f"largest: {', '.join(f'{n} ({len(files[n]) / 1e6:.1f} MB)' for n in largest)}"
        )


def tar_gz(files: Mapping[str, bytes], mtime: int) -> bytes:
    """A gzipped tar of ``files`` ({name: bytes}) that depends on nothing else.

    Entries sorted by name, every one a regular file with mode 0644, owner 0:0 and no user or
    group names, time ``mtime`` (the build's SOURCE_DATE_EPOCH); the ustar format has no pax
    headers with access times; the gzip header has mtime 0 and no file name. Two builds of the
    same commit give the same bytes.
    """
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name in sorted(files):
            data = files[name]
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), int(mtime), 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as handle:
        handle.write(raw.getvalue())
    return out.getvalue()
