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
include: "workflow/rules/trained_common.smk"
include: "workflow/rules/trained.smk"
include: "workflow/rules/dynamics.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/paper.smk"


# Cheap rules run by Snakemake itself, never as cluster jobs (see workflow/profiles/slurm): claims,
# quoted values, the build stamp, the figures (plots of saved arrays) and the paper with its
# appendix and its arXiv source, so TeX and Graphviz are needed only where Snakemake runs. Each costs ~1 s; as a SLURM job it would cost 5-10 s more.
localrules:
    claims_meanfield,
    claims_rem,
    claims_trained,
    claims_dynamics,
    collect_claims,
    collect_values,
    stamp_build,
    build_paper,
    describe_software,
    draw_rulegraph,
    arxiv_source,
    plot_fig01_two_delta_free_energy,
    plot_fig02_two_delta_pitchfork,
    plot_fig03_discrete_cascade,
    plot_fig04_sphere_order_parameter,
    plot_fig05_diffused_ising,
    plot_fig06_critical_exponents,
    plot_fig07_simplex_first_order,
    plot_fig10_dynamics_trajectories,
    plot_fig11_dynamics_instability,
    plot_fig12_dynamics_slowing_down,
    plot_fig13_dynamics_four_point,
    plot_fig14_dynamics_free_energy,
    plot_fig15_dynamics_equilibrium,
    plot_fig16_dynamics_bath_densities,
    plot_fig17_dynamics_bath_scaling,
    plot_fig18_dynamics_hopfield_energy,
    plot_fig19_dynamics_hopfield_recall,
    plot_fig20_rem_participation,
    plot_fig21_rem_critical_temperature,
    plot_fig22_rem_digits,
    plot_fig23_rem_memorization,
    plot_fig30_trained_susceptibility,
    plot_fig31_trained_clone_agreement,
    plot_fig32_trained_jacobian,
    plot_fig33_trained_class_commitment,
    plot_fig34_trained_memorization,
    plot_fig35_trained_samples,


# Every dataset, figure, claims file and value file, not only the paper; and, through
# request_every_output below, every output of every job behind them.
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


# After every rule: a job reruns when its script, a library module its script imports, or the
# value or order of its params, changes (thermodiff.fingerprint).
add_rerun_params(workflow.rules)
# Target rules (all, the stages) ask for every output of every job they need: an intermediate
# missing after a kill, or deleted, is rebuilt, with whatever is made from it.
request_every_output(workflow.rules)
