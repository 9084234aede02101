# Figures target, build stamp and the LaTeX build of paper/main.tex into results/paper/.

GIT_COMMIT, GIT_EPOCH = git_describe()
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
        # the Snakefile's configfile first, then the files merged over it
        config_files=sorted(
            (os.path.relpath(f) for f in workflow.configfiles),
            key=lambda f: f != "config/config.yaml",
        ),
    script:
        "../../scripts/paper/stamp_build.py"


rule build_paper:
    input:
        main="paper/main.tex",
        sources=PAPER_SOURCES,
        values=res("macros/values.tex"),
        claims=res("claims/claims_table.tex"),
        figures=all_figures(),
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
