# Dynamics stage (paper sections 7-10): generation as a physical process with exact scores:
# critical instability, adiabatic free-energy descent, the generative bath, associative memory.
# Physics in src/thermodiff/{dynamics,instability,bath,hopfield}.py; summaries, claims and values in
# src/thermodiff/stages/dynamics/. Parameters from config["dynamics"] (and data.two_delta.a).

register_stage("dynamics")
DYNAMICS = config["dynamics"]
DYNAMICS_FIGURES = [
    "fig10_dynamics_trajectories",
    "fig11_dynamics_instability",
    "fig12_dynamics_slowing_down",
    "fig13_dynamics_four_point",
    "fig14_dynamics_free_energy",
    "fig15_dynamics_equilibrium",
    "fig16_dynamics_bath_densities",
    "fig17_dynamics_bath_scaling",
    "fig18_dynamics_hopfield_energy",
    "fig19_dynamics_hopfield_recall",
]
for _fig in DYNAMICS_FIGURES:
    register_figure(_fig)
BATH_SIZES = DYNAMICS["bath"]["sizes"]
HOPFIELD_DIMS = DYNAMICS["hopfield"]["dims"]
DYNAMICS_SUMMARIES = {
    "two_delta": res("dynamics/two_delta.npz"),
    "four_point": res("dynamics/four_point.npz"),
    "sphere": res("dynamics/sphere.npz"),
    "digits": res("dynamics/digits.npz"),
    "bath_above": res("dynamics/bath_above.npz"),
    "baths": expand(res("dynamics/bath/m{m}.npz"), m=BATH_SIZES),
    "hopfield": expand(res("dynamics/hopfield/d{d}.npz"), d=HOPFIELD_DIMS),
}


wildcard_constraints:
    m=r"\d+",


rule simulate_dynamics_two_delta:
    output:
        summary=res("dynamics/two_delta.npz"),
    log:
        logfile("dynamics", "simulate_dynamics_two_delta"),
    benchmark:
        benchfile("dynamics", "simulate_dynamics_two_delta")
    conda:
        CONDA_ENV
    threads: 1
    params:
        a=config["data"]["two_delta"]["a"],
        settings=DYNAMICS["two_delta"],
        seed=DYNAMICS["seed"],
        n_bootstrap=DYNAMICS["n_bootstrap"],
    script:
        "../../scripts/dynamics/simulate_two_delta.py"


rule simulate_dynamics_four_point:
    input:
        data=res("data/four_point/manifest.json"),
        data_arrays=dataset_arrays("four_point"),
    output:
        summary=res("dynamics/four_point.npz"),
    log:
        logfile("dynamics", "simulate_dynamics_four_point"),
    benchmark:
        benchfile("dynamics", "simulate_dynamics_four_point")
    conda:
        CONDA_ENV
    threads: 1
    params:
        settings=DYNAMICS["four_point"],
        seed=DYNAMICS["seed"],
        n_bootstrap=DYNAMICS["n_bootstrap"],
    script:
        "../../scripts/dynamics/simulate_four_point.py"


rule simulate_dynamics_sphere:
    output:
        summary=res("dynamics/sphere.npz"),
    log:
        logfile("dynamics", "simulate_dynamics_sphere"),
    benchmark:
        benchfile("dynamics", "simulate_dynamics_sphere")
    conda:
        CONDA_ENV
    threads: 1
    params:
        settings=DYNAMICS["sphere"],
        radius=MEANFIELD["sphere"]["radius"],
        seed=DYNAMICS["seed"],
    script:
        "../../scripts/dynamics/simulate_sphere.py"


rule simulate_dynamics_digits:
    input:
        data=res("data/digits_symmetric/manifest.json"),
        data_arrays=dataset_arrays("digits_symmetric"),
    output:
        summary=res("dynamics/digits.npz"),
    log:
        logfile("dynamics", "simulate_dynamics_digits"),
    benchmark:
        benchfile("dynamics", "simulate_dynamics_digits")
    conda:
        CONDA_ENV
    threads: 1
    params:
        settings=DYNAMICS["digits"],
        seed=DYNAMICS["seed"],
    script:
        "../../scripts/dynamics/simulate_digits.py"


rule simulate_dynamics_bath:
    output:
        summary=res("dynamics/bath/m{m}.npz"),
    log:
        logfile("dynamics", "simulate_dynamics_bath_m{m}"),
    benchmark:
        benchfile("dynamics", "simulate_dynamics_bath_m{m}")
    conda:
        CONDA_ENV
    threads: 1
    params:
        a=config["data"]["two_delta"]["a"],
        settings=DYNAMICS["bath"],
        seed=DYNAMICS["seed"],
    script:
        "../../scripts/dynamics/simulate_bath.py"


rule simulate_dynamics_bath_above:
    output:
        summary=res("dynamics/bath_above.npz"),
    log:
        logfile("dynamics", "simulate_dynamics_bath_above"),
    benchmark:
        benchfile("dynamics", "simulate_dynamics_bath_above")
    conda:
        CONDA_ENV
    threads: 1
    params:
        a=config["data"]["two_delta"]["a"],
        settings=DYNAMICS["bath"],
        seed=DYNAMICS["seed"],
    script:
        "../../scripts/dynamics/simulate_bath_above.py"


rule simulate_dynamics_hopfield:
    output:
        summary=res("dynamics/hopfield/d{d}.npz"),
    log:
        logfile("dynamics", "simulate_dynamics_hopfield_d{d}"),
    benchmark:
        benchfile("dynamics", "simulate_dynamics_hopfield_d{d}")
    conda:
        CONDA_ENV
    threads: 1
    params:
        settings=DYNAMICS["hopfield"],
        seed=DYNAMICS["seed"],
        n_bootstrap=DYNAMICS["n_bootstrap"],
    script:
        "../../scripts/dynamics/simulate_hopfield.py"


rule claims_dynamics:
    input:
        **DYNAMICS_SUMMARIES,
    output:
        claims=res("claims/dynamics.csv"),
        values=res("macros/dynamics.tex"),
    log:
        logfile("dynamics", "claims_dynamics"),
    conda:
        CONDA_ENV
    params:
        n_sigma=DYNAMICS["n_sigma"],
    script:
        "../../scripts/dynamics/claims_dynamics.py"


rule plot_fig10_dynamics_trajectories:
    input:
        two_delta=DYNAMICS_SUMMARIES["two_delta"],
    output:
        **figure_outputs("fig10_dynamics_trajectories", "Dynamics"),
    log:
        logfile("figures", "fig10_dynamics_trajectories"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig10_dynamics_trajectories.py"


rule plot_fig11_dynamics_instability:
    input:
        two_delta=DYNAMICS_SUMMARIES["two_delta"],
        sphere=DYNAMICS_SUMMARIES["sphere"],
        digits=DYNAMICS_SUMMARIES["digits"],
    output:
        **figure_outputs("fig11_dynamics_instability", "Dynamics"),
    log:
        logfile("figures", "fig11_dynamics_instability"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig11_dynamics_instability.py"


rule plot_fig12_dynamics_slowing_down:
    input:
        two_delta=DYNAMICS_SUMMARIES["two_delta"],
    output:
        **figure_outputs("fig12_dynamics_slowing_down", "Dynamics"),
    log:
        logfile("figures", "fig12_dynamics_slowing_down"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig12_dynamics_slowing_down.py"


rule plot_fig13_dynamics_four_point:
    input:
        four_point=DYNAMICS_SUMMARIES["four_point"],
    output:
        **figure_outputs("fig13_dynamics_four_point", "Dynamics"),
    log:
        logfile("figures", "fig13_dynamics_four_point"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig13_dynamics_four_point.py"


rule plot_fig14_dynamics_free_energy:
    input:
        two_delta=DYNAMICS_SUMMARIES["two_delta"],
    output:
        **figure_outputs("fig14_dynamics_free_energy", "Dynamics"),
    log:
        logfile("figures", "fig14_dynamics_free_energy"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig14_dynamics_free_energy.py"


rule plot_fig15_dynamics_equilibrium:
    input:
        two_delta=DYNAMICS_SUMMARIES["two_delta"],
    output:
        **figure_outputs("fig15_dynamics_equilibrium", "Dynamics"),
    log:
        logfile("figures", "fig15_dynamics_equilibrium"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig15_dynamics_equilibrium.py"


rule plot_fig16_dynamics_bath_densities:
    input:
        baths=DYNAMICS_SUMMARIES["baths"],
    output:
        **figure_outputs("fig16_dynamics_bath_densities", "Dynamics"),
    log:
        logfile("figures", "fig16_dynamics_bath_densities"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig16_dynamics_bath_densities.py"


rule plot_fig17_dynamics_bath_scaling:
    input:
        baths=DYNAMICS_SUMMARIES["baths"],
    output:
        **figure_outputs("fig17_dynamics_bath_scaling", "Dynamics"),
    log:
        logfile("figures", "fig17_dynamics_bath_scaling"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig17_dynamics_bath_scaling.py"


rule plot_fig18_dynamics_hopfield_energy:
    input:
        hopfield=DYNAMICS_SUMMARIES["hopfield"],
    output:
        **figure_outputs("fig18_dynamics_hopfield_energy", "Dynamics"),
    log:
        logfile("figures", "fig18_dynamics_hopfield_energy"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig18_dynamics_hopfield_energy.py"


rule plot_fig19_dynamics_hopfield_recall:
    input:
        hopfield=DYNAMICS_SUMMARIES["hopfield"],
    output:
        **figure_outputs("fig19_dynamics_hopfield_recall", "Dynamics"),
    log:
        logfile("figures", "fig19_dynamics_hopfield_recall"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig19_dynamics_hopfield_recall.py"


rule dynamics:
    input:
        rules.claims_dynamics.output,
        [res(f"figures/{fig}.pdf") for fig in DYNAMICS_FIGURES],
