# Claims and quoted values: stage files -> results/claims/claims.csv and results/macros/values.tex.

from thermodiff.macros import claim_topics


rule collect_claims:
    input:
        stage_claims(),
    output:
        claims=report(
            res("claims/claims.csv"),
            caption="../report/claims.rst",
            category="Claims",
        ),
        table=res("claims/claims_table.tex"),
        values=res("macros/claims.tex"),
    log:
        logfile("claims", "collect_claims"),
    conda:
        CONDA_ENV
    params:
        # the paper's \claimtopic labels in reading order: the table follows the sections
        topics=claim_topics(os.path.join(workflow.basedir, "paper/main.tex")),
    script:
        "../../scripts/claims/collect_claims.py"


rule collect_values:
    input:
        stages=stage_values(),
        claims=res("macros/claims.tex"),
        build=res("macros/build.tex"),
    output:
        values=res("macros/values.tex"),
    log:
        logfile("claims", "collect_values"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/claims/collect_values.py"


rule claims:
    input:
        res("claims/claims.csv"),
