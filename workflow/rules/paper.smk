# Figures target, build stamp and the LaTeX build of paper/main.tex into results/paper/.

GIT_COMMIT, GIT_EPOCH, GIT_SHA = git_describe()
WORKFLOW_SOURCES = ["Snakefile"] + sorted(
    os.path.join("workflow/rules", path)
    for path in os.listdir(os.path.join(workflow.basedir, "workflow/rules"))
    if path.endswith(".smk")
)
PAPER_SOURCES = sorted(
    os.path.join("paper", path)
    for path in os.listdir(os.path.join(workflow.basedir, "paper"))
    if path.endswith((".tex", ".bib"))
) + sorted(
    os.path.join("paper/sections", path)
    for path in os.listdir(os.path.join(workflow.basedir, "paper/sections"))
    if path.endswith(".tex")
)


rule figures:
    input:
        all_figures(),


rule stamp_build:
    output:
        values=res("macros/build.tex"),
    log:
        logfile("paper", "stamp_build"),
    conda:
        CONDA_ENV
    params:
        commit=GIT_COMMIT,
        # captions link scripts as <repository>/blob/<sha>/<path>; plain paths without either
        repository=config["repository"],
        sha=GIT_SHA,
        source_date_epoch=GIT_EPOCH,
        # the Snakefile's configfile first, then the files merged over it
        config_files=sorted(
            (os.path.relpath(f) for f in workflow.configfiles),
            key=lambda f: f != "config/config.yaml",
        ),
    script:
        "../../scripts/paper/stamp_build.py"


rule describe_software:
    input:
        all_figures(),
        stage_claims(),
        stage_values(),
    output:
        tex=res("paper/provenance/software.tex"),
    log:
        logfile("paper", "describe_software"),
    conda:
        CONDA_ENV
    params:
        jobs=res("provenance/jobs"),
    script:
        "../../scripts/paper/describe_software.py"


rule draw_rulegraph:
    input:
        WORKFLOW_SOURCES,
    output:
        dot=res("paper/provenance/rulegraph.dot"),
        pdf=res("paper/provenance/rulegraph.pdf"),
    log:
        logfile("paper", "draw_rulegraph"),
    conda:
        CONDA_ENV
    params:
        config_files=sorted(
            (os.path.relpath(f) for f in workflow.configfiles),
            key=lambda f: f != "config/config.yaml",
        ),
    script:
        "../../scripts/paper/draw_rulegraph.py"


rule build_paper:
    input:
        main="paper/main.tex",
        sources=PAPER_SOURCES,
        values=res("macros/values.tex"),
        claims=res("claims/claims_table.tex"),
        figures=all_figures(),
        appendix=[
            res("paper/provenance/software.tex"),
            res("paper/provenance/rulegraph.pdf"),
        ],
    output:
        pdf=report(
            res("paper/main.pdf"), caption="../report/paper.rst", category="Paper"
        ),
    log:
        logfile("paper", "build_paper"),
    benchmark:
        benchfile("paper", "build_paper")
    conda:
        CONDA_ENV
    params:
        latex_dir=res("paper/latex"),
        source_date_epoch=GIT_EPOCH,
    script:
        "../../scripts/paper/build_paper.py"


rule paper:
    input:
        res("paper/main.pdf"),


# The arXiv source of the paper (make arxiv): the files the LaTeX build above opened, as one folder
# that pdflatex compiles alone (thermodiff.arxiv), and its tarball to upload. Not in rule all: a
# submission is made on request. main.pdf stands for the build's own intermediates (its .fls
# recorder file and .bbl in latex_dir, written by the same job and never by another).
rule arxiv_source:
    input:
        pdf=res("paper/main.pdf"),
        main="paper/main.tex",
        sources=PAPER_SOURCES,
        values=res("macros/values.tex"),
        claims=res("claims/claims_table.tex"),
        figures=all_figures(),
        appendix=[
            res("paper/provenance/software.tex"),
            res("paper/provenance/rulegraph.pdf"),
        ],
    output:
        tarball=res("arxiv/thermodiff-arxiv.tar.gz"),
    log:
        logfile("paper", "arxiv_source"),
    conda:
        CONDA_ENV
    params:
        latex_dir=res("paper/latex"),
        # the unpacked tarball, to read before uploading; rewritten with it (as latex_dir above)
        folder=lambda w, output: output.tarball.removesuffix(".tar.gz"),
        repository=config["repository"],
        source_date_epoch=GIT_EPOCH,
    script:
        "../../scripts/paper/arxiv_source.py"


rule arxiv:
    input:
        res("arxiv/thermodiff-arxiv.tar.gz"),
