# thermodiff: reproduce "The statistical thermodynamics of generative diffusion models"
# (Ambrogioni, arXiv 2310.17467) from nothing. Contents page of the workflow; see README.md.

from snakemake.utils import min_version

min_version("9")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"


wildcard_constraints:
    d=r"\d+",
    coupling=r"\d+(\.\d+)?",
    fig_id=r"fig\d\d_[a-z0-9_]+",


include: "workflow/rules/data.smk"
include: "workflow/rules/meanfield.smk"
include: "workflow/rules/rem.smk"
include: "workflow/rules/trained.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/paper.smk"


# Every dataset, figure, claims file and value file, not only the paper: a missing one is rebuilt.
rule all:
    default_target: True
    input:
        DATASETS,
        all_figures(),
        stage_claims(),
        stage_values(),
        res("claims/claims.csv"),
        res("macros/values.tex"),
        res("paper/main.pdf"),
