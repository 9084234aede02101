"""The arXiv folder: which files of the build it holds, how the TeX is rewritten, the tarball."""

import gzip
import io
import tarfile

import pytest

from thermodiff import arxiv

FLS = """PWD /old/checkout
INPUT /etc/texmf/web2c/texmf.cnf
INPUT paper/main.tex
INPUT /usr/share/texlive/texmf-dist/tex/latex/base/article.cls
INPUT /old/checkout/paper//sections/intro.tex
INPUT /old/checkout/results/smoke/macros/values.tex
INPUT /old/checkout/results/smoke/figures/fig01_a.pdf
INPUT ./results/smoke/figures/fig01_a.pdf
INPUT results/smoke/paper/latex/main.aux
INPUT results/smoke/paper/latex/main.bbl
OUTPUT results/smoke/paper/latex/main.log
INPUT /old/checkout/paper/sections/intro.tex
"""


def test_recorded_inputs_moves_the_build_onto_this_checkout_in_order_each_once():
    assert arxiv.recorded_inputs(FLS, "/new") == [
        "/etc/texmf/web2c/texmf.cnf",
        "/new/paper/main.tex",
        "/usr/share/texlive/texmf-dist/tex/latex/base/article.cls",
        "/new/paper/sections/intro.tex",
        "/new/results/smoke/macros/values.tex",
        "/new/results/smoke/figures/fig01_a.pdf",
        "/new/results/smoke/paper/latex/main.aux",
        "/new/results/smoke/paper/latex/main.bbl",
    ]


def test_recorded_inputs_refuses_a_file_without_pwd():
    with pytest.raises(arxiv.ArxivError, match="PWD"):
        arxiv.recorded_inputs("INPUT main.tex\n", "/new")


def plan(inputs, declared=("/new/results/smoke/macros/values.tex",)):
    return arxiv.plan_files(
        inputs,
        workdir="/new",
        paper_dir="/new/paper",
        latex_dir="/new/results/smoke/paper/latex",
        declared=[*declared, "/new/results/smoke/figures/fig01_a.pdf"],
    )


def test_plan_keeps_paper_paths_puts_generated_files_on_top_and_figures_apart():
    assert plan(arxiv.recorded_inputs(FLS, "/new")) == {
        "main.tex": "/new/paper/main.tex",
        "sections/intro.tex": "/new/paper/sections/intro.tex",
        "values.tex": "/new/results/smoke/macros/values.tex",
        "figures/fig01_a.pdf": "/new/results/smoke/figures/fig01_a.pdf",
        "main.bbl": "/new/results/smoke/paper/latex/main.bbl",
    }


def test_plan_refuses_an_undeclared_file_of_the_checkout():
    inputs = ["/new/paper/main.tex", "/new/results/smoke/macros/values.tex"]
    with pytest.raises(arxiv.ArxivError, match="results/smoke/macros/values.tex"):
        plan(inputs, declared=())


def test_plan_refuses_two_files_with_one_name():
    inputs = ["/new/paper/main.tex", "/new/results/a/values.tex", "/new/results/b/values.tex"]
    with pytest.raises(arxiv.ArxivError, match="two files would be values.tex"):
        plan(inputs, declared=inputs[1:])


def test_plan_needs_main_tex():
    with pytest.raises(arxiv.ArxivError, match="main.tex"):
        plan(["/new/results/smoke/macros/values.tex"])


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("% a whole comment line\nText\n", "Text\n"),
        ("  % indented comment\nText\n", "Text\n"),
        ("Text % remark\nmore\n", "Text %\nmore\n"),
        ("\\def\\x{a}% no space here\n", "\\def\\x{a}%\n"),
        ("50\\% of them % remark\n", "50\\% of them %\n"),
        ("line\\\\% break then comment\n", "line\\\\%\n"),
        ("\\verb|%not| a comment % but this is\n", "\\verb|%not| a comment %\n"),
        ("a\n\n% c\n\nb\n", "a\n\n\nb\n"),
        ("last % no newline", "last %"),
    ],
)
def test_strip_comments(tex, expected):
    assert arxiv.strip_comments(tex) == expected


def test_strip_comments_keeps_verbatim_text():
    tex = "% gone\n\\begin{verbatim}\nmake   # 100% kept\n% kept too\n\\end{verbatim}\nx % y\n"
    assert arxiv.strip_comments(tex) == (
        "\\begin{verbatim}\nmake   # 100% kept\n% kept too\n\\end{verbatim}\nx %\n"
    )


REPO = "https://github.com/owner/thermodiff"


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        # the caption macro that values.tex defines when the config names the repository
        (
            r"\newcommand{\tdscript}[1]{\href{" + REPO + r"/blob/abc/\detokenize{#1}}"
            r"{\texttt{\detokenize{#1}}}}",
            r"\newcommand{\tdscript}[1]{\texttt{\detokenize{#1}}}",
        ),
        (r"see \href {" + REPO + "/tree/main} {the {code}}.", "see the {code}."),
        (r"\href{../results/x.json}{record}", "record"),
        (r"\href{file:///home/me/x.pdf}{x}", "x"),
        (
            r"\href{https://arxiv.org/abs/2310.17467}{paper}",
            r"\href{https://arxiv.org/abs/2310.17467}{paper}",
        ),
        (r"\href{#sec}{there}", r"\href{#sec}{there}"),
        (r"\hrefx{a}", r"\hrefx{a}"),
    ],
)
def test_unlink_repository(tex, expected):
    assert arxiv.unlink_repository(tex, REPO + "/") == expected


def test_unlink_repository_without_a_repository_keeps_web_links():
    tex = r"\href{" + REPO + "}{code}"
    assert arxiv.unlink_repository(tex, "") == tex


def test_unlink_repository_refuses_an_unbalanced_link():
    with pytest.raises(arxiv.ArxivError, match="unbalanced"):
        arxiv.unlink_repository(r"\href{" + REPO + "}{code", REPO)


def test_rewrite_main_adds_header_and_graphicspath_and_leaves_figures_alone():
    main = b"% old note\n\\documentclass{article}\n\\begin{document}\nx % y\n\\end{document}\n"
    out = arxiv.rewrite("main.tex", main, header="line one\nline two").decode()
    assert out == (
        "\\pdfoutput=1\n% line one\n% line two\n\\documentclass{article}\n\\graphicspath{{figures/}}\n"
        "\\begin{document}\nx %\n\\end{document}\n"
    )
    pdf = b"%PDF-1.5\n% binary \xff\n"
    assert arxiv.rewrite("figures/a.pdf", pdf) == pdf
    assert arxiv.rewrite("main.bbl", b"% bbl comment\n") == b"% bbl comment\n"
    assert arxiv.rewrite("sections/a.tex", b"a % b\n") == b"a %\n"


def test_check_self_contained_refuses_local_paths_and_size():
    arxiv.check_self_contained({"main.tex": b"results/provenance/x.json"}, ["/work/repo"])
    with pytest.raises(arxiv.ArxivError, match="values.tex contains the local path /work/repo"):
        arxiv.check_self_contained({"values.tex": b"\\texttt{/work/repo/x}"}, ["/work/repo"])
    with pytest.raises(arxiv.ArxivError, match=r"\(limit 10 MB\); largest: big.pdf \(10.0 MB\)"):
        arxiv.check_self_contained({"big.pdf": bytes(arxiv.MAX_BYTES), "a.tex": b""}, [])


@pytest.mark.parametrize(
    "tex",
    [
        r"\input{/home/me/values.tex}",
        r"\input {../results/values}",
        r"\includegraphics[width=0.5\textwidth]{/abs/fig.pdf}",
        r"\graphicspath{{../figures/}}",
        r"\usepackage{~/texmf/mine}",
        r"\include{C:/paper/intro}",
    ],
)
def test_check_self_contained_refuses_reads_outside_the_folder(tex):
    with pytest.raises(arxiv.ArxivError, match="reads a file outside the folder"):
        arxiv.check_self_contained({"sections/a.tex": tex.encode()}, [])


def test_check_self_contained_accepts_relative_reads_and_ignores_graphics_bytes():
    tex = (
        r"\input{sections/a}\includegraphics[width=0.6\textwidth]{rulegraph.pdf}\input{values.tex}"
    )
    arxiv.check_self_contained({"main.tex": tex.encode(), "figures/a.pdf": b"/w\x00"}, ["/w"])


def test_tar_gz_is_deterministic_sorted_and_anonymous():
    files = {"sections/b.tex": b"b", "main.tex": b"main", "figures/a.pdf": b"%PDF"}
    data = arxiv.tar_gz(files, 1_700_000_000)
    assert data == arxiv.tar_gz(dict(reversed(files.items())), 1_700_000_000)
    assert data[4:8] == b"\0\0\0\0"  # gzip header mtime
    raw = gzip.decompress(data)
    assert b"PaxHeader" not in raw and b"mtime=" not in raw
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == sorted(files)
        for member in members:
            assert member.isfile() and member.mode == 0o644
            assert (member.uid, member.gid, member.uname, member.gname) == (0, 0, "", "")
            assert member.mtime == 1_700_000_000
            assert tar.extractfile(member).read() == files[member.name]
    assert arxiv.tar_gz(files, 1_700_000_001) != data
