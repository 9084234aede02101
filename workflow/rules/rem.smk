# Random-energy stage (paper section 11): condensation of the empirical posterior of finite
# training sets, memorization as condensation. Physics in src/thermodiff/rem.py and
# src/thermodiff/denoisers.py; the rules below only wire pattern sets to analyses and figures.

import math

REM = config["rem"]

# ---- sizes and files of the rem analyses (values, not functions: `snakemake --lint` wants no
# def next to rules). N = round(e^{alpha d}) at fixed alpha; a pattern set of dimension d has as
# many rows as the largest N any analysis of that d uses (the data rules read REM_PATTERN_ROWS and
# REM_BINARY_ROWS inside lambdas, that is after every include).
REM_ALPHA_SIZES = {
    d: int(round(math.exp(REM["alpha_sweep"]["alpha"] * d)))
    for d in REM["alpha_sweep"]["dims"]
}
REM_BINARY_ROWS = {
    REM["binary"]["dim"]: int(
        round(math.exp(REM["binary"]["alpha"] * REM["binary"]["dim"]))
    )
}
REM_CELLS = {  # (kind, d, N) of every pattern-set analysis
    "grid": [("gaussian", d, n) for d in REM["dims"] for n in REM["n_samples"]],
    "alpha": [("gaussian", d, n) for d, n in REM_ALPHA_SIZES.items()],
    "binary": [("binary", d, n) for d, n in REM_BINARY_ROWS.items()],
}
REM_REPLICAS = range(REM["n_datasets"])  # independent pattern sets per (d, N)
REM_CELL_FILES = {  # every dataset; REM_FIRST_*: dataset 0 only (the figures)
    group: [
        res(f"rem/{kind}/d{d}_n{n}_r{r}.npz")
        for kind, d, n in cells
        for r in REM_REPLICAS
    ]
    for group, cells in REM_CELLS.items()
}
REM_FIRST_CELL_FILES = {
    group: [res(f"rem/{kind}/d{d}_n{n}_r0.npz") for kind, d, n in cells]
    for group, cells in REM_CELLS.items()
}
REM_MEMORIZATION_FILES = [
    res(f"rem/memorization/d{d}_n{n}_r{r}.npz")
    for d in REM["memorization"]["dims"]
    for n in REM["memorization"]["n_samples"]
    for r in REM_REPLICAS
]
REM_FIRST_MEMORIZATION_FILES = [
    res(f"rem/memorization/d{d}_n{n}_r0.npz")
    for d in REM["memorization"]["dims"]
    for n in REM["memorization"]["n_samples"]
]
REM_PATTERN_ROWS = {
    d: max(
        [2]
        + ([max(REM["n_samples"])] if d in REM["dims"] else [])
        + (
            [max(REM["memorization"]["n_samples"])]
            if d in REM["memorization"]["dims"]
            else []
        )
        + ([REM_ALPHA_SIZES[d]] if d in REM_ALPHA_SIZES else [])
    )
    for d in {*REM["dims"], *REM["memorization"]["dims"], *REM_ALPHA_SIZES}
}


register_stage("rem")
REM_FIGURES = [
    "fig20_rem_participation",
    "fig21_rem_critical_temperature",
    "fig22_rem_digits",
    "fig23_rem_memorization",
]
for _fig in REM_FIGURES:
    register_figure(_fig)


wildcard_constraints:
    n=r"\d+",
    r=r"\d+",
    kind=r"gaussian|binary",


# One job per pattern set (d, dataset) analyses every N of the grid: the cells of a set are
# prefixes of one array, and a job costs ~1.5 s of start-up beyond its work. Each cell keeps its own
# seed (rng_for(seed, d, N, dataset)), so a cell's file does not depend on how cells share jobs.
rule simulate_rem_grid:
    input:
        data=lambda w: res(f"data/rem_gaussian/d{w.d}/r{w.r}/manifest.json"),
        data_arrays=lambda w: dataset_arrays(f"rem_gaussian/d{w.d}/r{w.r}"),
    output:
        cells=expand(res("rem/gaussian/d{{d}}_n{n}_r{{r}}.npz"), n=REM["n_samples"]),
    log:
        logfile("rem", "simulate_rem_grid_d{d}_r{r}"),
    benchmark:
        benchfile("rem", "simulate_rem_grid_d{d}_r{r}")
    wildcard_constraints:
        d="|".join(str(d) for d in REM["dims"]),
    priority: PRIORITY_REM
    conda:
        CONDA_ENV
    threads: 1
    params:
        kind="gaussian",
        n_samples=REM["n_samples"],
        variance=REM["variance"],
        ratios=REM["ratios"],
        n_cues=REM["n_cues"],
        n_bootstrap=REM["n_bootstrap"],
        width_level=REM["width_level"],
        seed=REM["seed"],
    script:
        "../../scripts/rem/simulate_rem_patterns.py"


# The other cells (alpha sweep, binary patterns): one N per (kind, d), one job per cell. A cell
# that is also on the grid comes from the grid's job (same seed, same file).
ruleorder: simulate_rem_grid > simulate_rem_patterns


rule simulate_rem_patterns:
    input:
        data=lambda w: res(f"data/rem_{w.kind}/d{w.d}/r{w.r}/manifest.json"),
        data_arrays=lambda w: dataset_arrays(f"rem_{w.kind}/d{w.d}/r{w.r}"),
    output:
        cells=res("rem/{kind}/d{d}_n{n}_r{r}.npz"),
    log:
        logfile("rem", "simulate_rem_patterns_{kind}_d{d}_n{n}_r{r}"),
    benchmark:
        benchfile("rem", "simulate_rem_patterns_{kind}_d{d}_n{n}_r{r}")
    priority: PRIORITY_REM
    conda:
        CONDA_ENV
    threads: 1
    params:
        kind=lambda w: w.kind,
        n_samples=lambda w: [int(w.n)],
        variance=REM["variance"],
        ratios=REM["ratios"],
        n_cues=REM["n_cues"],
        n_bootstrap=REM["n_bootstrap"],
        width_level=REM["width_level"],
        seed=REM["seed"],
    script:
        "../../scripts/rem/simulate_rem_patterns.py"


rule simulate_rem_digits:
    input:
        data=res("data/digits/manifest.json"),
        data_arrays=dataset_arrays("digits"),
    output:
        result=res("rem/digits.npz"),
    log:
        logfile("rem", "simulate_rem_digits"),
    benchmark:
        benchfile("rem", "simulate_rem_digits")
    priority: PRIORITY_REM
    conda:
        CONDA_ENV
    threads: 1
    params:
        temperatures=REM["digits"],
        n_cues=REM["digits"]["n_cues"],
        n_bootstrap=REM["n_bootstrap"],
        width_level=REM["width_level"],
        seed=REM["seed"],
    script:
        "../../scripts/rem/simulate_rem_digits.py"


# One job per pattern set (d, dataset) generates for every N (prefixes of one array), as above.
rule simulate_rem_memorization:
    input:
        data=res("data/rem_gaussian/d{d}/r{r}/manifest.json"),
        data_arrays=dataset_arrays("rem_gaussian/d{d}/r{r}"),
    output:
        results=expand(
            res("rem/memorization/d{{d}}_n{n}_r{{r}}.npz"),
            n=REM["memorization"]["n_samples"],
        ),
    log:
        logfile("rem", "simulate_rem_memorization_d{d}_r{r}"),
    benchmark:
        benchfile("rem", "simulate_rem_memorization_d{d}_r{r}")
    priority: PRIORITY_REM
    conda:
        CONDA_ENV
    threads: 1
    params:
        n_samples=REM["memorization"]["n_samples"],
        variance=REM["variance"],
        settings={
            k: v
            for k, v in REM["memorization"].items()
            if k not in ("dims", "n_samples")
        },
        n_bootstrap=REM["n_bootstrap"],
        seed=REM["seed"],
    script:
        "../../scripts/rem/simulate_rem_memorization.py"


rule summarize_rem:
    input:
        grid=REM_CELL_FILES["grid"],
        alpha=REM_CELL_FILES["alpha"],
        binary=REM_CELL_FILES["binary"],
        memorization=REM_MEMORIZATION_FILES,
    output:
        crossings=res("rem/crossings.csv"),
        datasets=res("rem/crossings_datasets.csv"),
        memorization=res("rem/memorization.csv"),
        onsets=res("rem/memorization_onsets.csv"),
        onsets_datasets=res("rem/memorization_onsets_datasets.csv"),
        curves=res("rem/tc_curves.npz"),
    log:
        logfile("rem", "summarize_rem"),
    priority: PRIORITY_REM
    conda:
        CONDA_ENV
    params:
        variance=REM["variance"],
        n_bootstrap=REM["n_bootstrap"],
        seed=REM["seed"],
    script:
        "../../scripts/rem/summarize_rem.py"


rule claims_rem:
    input:
        crossings=res("rem/crossings.csv"),
        onsets=res("rem/memorization_onsets.csv"),
        memorization=res("rem/memorization.csv"),
        digits=res("rem/digits.npz"),
    output:
        claims=res("claims/rem.csv"),
        values=res("macros/rem.tex"),
    log:
        logfile("rem", "claims_rem"),
    priority: PRIORITY_REM
    conda:
        CONDA_ENV
    params:
        error_multiple=REM["error_multiple"],
        settings={
            k: REM[k] for k in ("variance", "n_cues", "n_bootstrap", "width_level")
        },
        memorization=REM["memorization"],
        alpha=REM["alpha_sweep"]["alpha"],
    script:
        "../../scripts/rem/claims_rem.py"


rule plot_fig20_rem_participation:
    input:
        cells=REM_FIRST_CELL_FILES["grid"],
        alpha=REM_FIRST_CELL_FILES["alpha"],
    output:
        **figure_outputs("fig20_rem_participation", "Random-energy model"),
    log:
        logfile("figures", "fig20_rem_participation"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig20_rem_participation.py"


rule plot_fig21_rem_critical_temperature:
    input:
        crossings=res("rem/crossings.csv"),
        curves=res("rem/tc_curves.npz"),
    output:
        **figure_outputs("fig21_rem_critical_temperature", "Random-energy model"),
    log:
        logfile("figures", "fig21_rem_critical_temperature"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig21_rem_critical_temperature.py"


rule plot_fig22_rem_digits:
    input:
        digits=res("rem/digits.npz"),
    output:
        **figure_outputs("fig22_rem_digits", "Random-energy model"),
    log:
        logfile("figures", "fig22_rem_digits"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig22_rem_digits.py"


rule plot_fig23_rem_memorization:
    input:
        runs=REM_FIRST_MEMORIZATION_FILES,
        onsets=res("rem/memorization_onsets.csv"),
    output:
        **figure_outputs("fig23_rem_memorization", "Random-energy model"),
    log:
        logfile("figures", "fig23_rem_memorization"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig23_rem_memorization.py"


rule rem:
    input:
        rules.claims_rem.output,
        [res(f"figures/{fig}.pdf") for fig in REM_FIGURES],
