# Mean-field stage (paper sections 3-7): equilibrium picture of the worked examples.


register_stage("meanfield")
register_figure("fig01_two_delta_free_energy")


rule compute_two_delta:
    input:
        data=res("data/two_delta/manifest.json"),
    output:
        landscape=res("meanfield/two_delta_landscape.npz"),
        critical=res("meanfield/two_delta_critical.json"),
    log:
        logfile("meanfield", "compute_two_delta"),
    conda:
        CONDA_ENV
    params:
        temperatures=MEANFIELD["two_delta"]["landscape_temperatures"],
        x_max=MEANFIELD["two_delta"]["x_max"],
        n_grid=MEANFIELD["two_delta"]["n_grid"],
        library=library("meanfield"),
    script:
        "../../scripts/meanfield/compute_two_delta.py"


rule plot_fig01_two_delta_free_energy:
    input:
        landscape=res("meanfield/two_delta_landscape.npz"),
    output:
        **figure_outputs("fig01_two_delta_free_energy", "Mean field"),
    log:
        logfile("figures", "fig01_two_delta_free_energy"),
    conda:
        CONDA_ENV
    params:
        library=library("plotting", "provenance"),
    script:
        "../../scripts/figures/fig01_two_delta_free_energy.py"


rule claims_meanfield:
    input:
        two_delta=res("meanfield/two_delta_critical.json"),
    output:
        claims=res("claims/meanfield.csv"),
        values=res("macros/meanfield.tex"),
    log:
        logfile("meanfield", "claims_meanfield"),
    conda:
        CONDA_ENV
    params:
        library=library("claims", "macros"),
    script:
        "../../scripts/meanfield/claims_meanfield.py"


rule meanfield:
    input:
        rules.claims_meanfield.output,
        [res(f"figures/{fig}.pdf") for fig in ["fig01_two_delta_free_energy"]],
