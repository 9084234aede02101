# Mean-field stage (paper sections 3-7): equilibrium picture of the worked examples, the
# symmetry-breaking cascade, the critical exponents. Parameters from config["meanfield"].


MEANFIELD = config["meanfield"]

register_stage("meanfield")
MEANFIELD_FIGURES = [
    "fig01_two_delta_free_energy",
    "fig02_two_delta_pitchfork",
    "fig03_discrete_cascade",
    "fig04_sphere_order_parameter",
    "fig05_diffused_ising",
    "fig06_critical_exponents",
    "fig07_simplex_first_order",
]
for fig_id in MEANFIELD_FIGURES:
    register_figure(fig_id)

SPHERE_DIMS = MEANFIELD["sphere"]["dims"]
SIMPLEX_Q = MEANFIELD["simplex"]["q"]
COUPLINGS = [coupling_label(b) for b in MEANFIELD["ising"]["couplings"]]


rule compute_two_delta:
    input:
        data=res("data/two_delta/manifest.json"),
        data_arrays=dataset_arrays("two_delta"),
    output:
        landscape=res("meanfield/two_delta_landscape.npz"),
        pitchfork=res("meanfield/two_delta_pitchfork.npz"),
        critical=res("meanfield/two_delta_critical.json"),
    log:
        logfile("meanfield", "compute_two_delta"),
    conda:
        CONDA_ENV
    params:
        a=config["data"]["two_delta"]["a"],
        temperatures=MEANFIELD["two_delta"]["landscape_temperatures"],
        x_max=MEANFIELD["two_delta"]["x_max"],
        n_grid=MEANFIELD["two_delta"]["n_grid"],
        pitchfork=MEANFIELD["two_delta"]["pitchfork"],
        bias_fields=MEANFIELD["two_delta"]["bias_fields"],
    script:
        "../../scripts/meanfield/compute_two_delta.py"


rule measure_two_delta_exponents:
    input:
        critical=res("meanfield/two_delta_critical.json"),
    output:
        fits=res("meanfield/two_delta_exponents.npz"),
        summary=res("meanfield/two_delta_exponents.json"),
    log:
        logfile("meanfield", "measure_two_delta_exponents"),
    conda:
        CONDA_ENV
    params:
        a=config["data"]["two_delta"]["a"],
        reduced_window=MEANFIELD["exponents"]["reduced_window"],
        field_window=MEANFIELD["exponents"]["field_window"],
        heat_capacity_window=MEANFIELD["exponents"]["heat_capacity_window"],
        n_points=MEANFIELD["exponents"]["n_points"],
    script:
        "../../scripts/meanfield/measure_two_delta_exponents.py"


rule track_four_point_cascade:
    input:
        data=res("data/four_point/manifest.json"),
        data_arrays=dataset_arrays("four_point"),
    output:
        path=res("meanfield/four_point_cascade.npz"),
        summary=res("meanfield/four_point_cascade.json"),
    log:
        logfile("meanfield", "track_four_point_cascade"),
    conda:
        CONDA_ENV
    params:
        t_min=MEANFIELD["discrete"]["t_min"],
        t_max=MEANFIELD["discrete"]["t_max"],
        n=MEANFIELD["discrete"]["n"],
    script:
        "../../scripts/meanfield/track_four_point_cascade.py"


rule track_digits_cascade:
    input:
        digits=res("data/digits/manifest.json"),
        digits_arrays=dataset_arrays("digits"),
        symmetric=res("data/digits_symmetric/manifest.json"),
        symmetric_arrays=dataset_arrays("digits_symmetric"),
    output:
        path=res("meanfield/digits_cascade.npz"),
        summary=res("meanfield/digits_cascade.json"),
    log:
        logfile("meanfield", "track_digits_cascade"),
    benchmark:
        benchfile("meanfield", "track_digits_cascade")
    conda:
        CONDA_ENV
    params:
        t_min=MEANFIELD["digits"]["t_min"],
        t_max=MEANFIELD["digits"]["t_max"],
        n=MEANFIELD["digits"]["n"],
        n_scan=MEANFIELD["digits"]["n_scan"],
        tol=MEANFIELD["digits"]["tol"],
    script:
        "../../scripts/meanfield/track_digits_cascade.py"


rule check_gaussian_data:
    input:
        digits=res("data/digits/manifest.json"),
        digits_arrays=dataset_arrays("digits"),
    output:
        path=res("meanfield/gaussian.npz"),
        summary=res("meanfield/gaussian.json"),
    log:
        logfile("meanfield", "check_gaussian_data"),
    conda:
        CONDA_ENV
    params:
        t_min=MEANFIELD["gaussian"]["t_min"],
        t_max=MEANFIELD["gaussian"]["t_max"],
        n=MEANFIELD["gaussian"]["n"],
    script:
        "../../scripts/meanfield/check_gaussian_data.py"


rule solve_sphere:
    output:
        path=res("meanfield/sphere/d{d}.npz"),
        summary=res("meanfield/sphere/d{d}.json"),
    log:
        logfile("meanfield", "solve_sphere_d{d}"),
    conda:
        CONDA_ENV
    params:
        d=lambda w: int(w.d),
        radius=MEANFIELD["sphere"]["radius"],
        t_min=MEANFIELD["sphere"]["grid"]["t_min"],
        t_max=MEANFIELD["sphere"]["grid"]["t_max"],
        n=MEANFIELD["sphere"]["grid"]["n"],
        reduced_window=MEANFIELD["exponents"]["reduced_window"],
        heat_capacity_window=MEANFIELD["exponents"]["heat_capacity_window"],
    script:
        "../../scripts/meanfield/solve_sphere.py"


rule measure_goldstone:
    input:
        data=res(f"data/sphere/d{MEANFIELD['sphere']['goldstone_dim']}/manifest.json"),
        data_arrays=dataset_arrays(f"sphere/d{MEANFIELD['sphere']['goldstone_dim']}"),
    output:
        summary=res("meanfield/sphere_goldstone.json"),
    log:
        logfile("meanfield", "measure_goldstone"),
    conda:
        CONDA_ENV
    params:
        radius=MEANFIELD["sphere"]["radius"],
        goldstone_temperature=MEANFIELD["sphere"]["goldstone_temperature"],
        goldstone_batches=MEANFIELD["sphere"]["goldstone_batches"],
    script:
        "../../scripts/meanfield/measure_goldstone.py"


rule solve_diffused_ising:
    input:
        data=res("data/curie_weiss/b{coupling}/manifest.json"),
        data_arrays=dataset_arrays("curie_weiss/b{coupling}"),
    output:
        path=res("meanfield/ising/b{coupling}.npz"),
        summary=res("meanfield/ising/b{coupling}.json"),
    log:
        logfile("meanfield", "solve_diffused_ising_b{coupling}"),
    conda:
        CONDA_ENV
    params:
        coupling=lambda w: float(w.coupling),
        extrapolation_dims=MEANFIELD["ising"]["extrapolation_dims"],
        finite_dims=MEANFIELD["ising"]["finite_dims"],
        t_min=MEANFIELD["ising"]["grid"]["t_min"],
        t_max=MEANFIELD["ising"]["grid"]["t_max"],
        n=MEANFIELD["ising"]["grid"]["n"],
    script:
        "../../scripts/meanfield/solve_diffused_ising.py"


rule solve_ising_chain:
    output:
        summary=res("meanfield/ising_chain.json"),
    log:
        logfile("meanfield", "solve_ising_chain"),
    conda:
        CONDA_ENV
    params:
        coupling=MEANFIELD["ising"]["chain_coupling"],
        lengths=MEANFIELD["ising"]["chain_lengths"],
    script:
        "../../scripts/meanfield/solve_ising_chain.py"


rule compute_simplex:
    input:
        data=res("data/simplex/q{q}/manifest.json"),
        data_arrays=dataset_arrays("simplex/q{q}"),
    output:
        path=res("meanfield/simplex/q{q}.npz"),
        summary=res("meanfield/simplex/q{q}.json"),
    log:
        logfile("meanfield", "compute_simplex_q{q}"),
    conda:
        CONDA_ENV
    params:
        q=lambda w: int(w.q),
        lambda_max=MEANFIELD["simplex"]["lambda_max"],
        bracket=MEANFIELD["simplex"]["bracket"],
        n_starts=MEANFIELD["simplex"]["n_starts"],
        rel_tol=MEANFIELD["simplex"]["rel_tol"],
        grid=MEANFIELD["simplex"]["grid"],
        generation=MEANFIELD["simplex"]["generation"],
    script:
        "../../scripts/meanfield/compute_simplex.py"


rule plot_fig01_two_delta_free_energy:
    input:
        landscape=res("meanfield/two_delta_landscape.npz"),
    output:
        **figure_outputs("fig01_two_delta_free_energy", "Mean field"),
    log:
        logfile("figures", "fig01_two_delta_free_energy"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig01_two_delta_free_energy.py"


rule plot_fig02_two_delta_pitchfork:
    input:
        pitchfork=res("meanfield/two_delta_pitchfork.npz"),
    output:
        **figure_outputs("fig02_two_delta_pitchfork", "Mean field"),
    log:
        logfile("figures", "fig02_two_delta_pitchfork"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig02_two_delta_pitchfork.py"


rule plot_fig03_discrete_cascade:
    input:
        four_point=res("meanfield/four_point_cascade.npz"),
        digits=res("meanfield/digits_cascade.npz"),
        digits_summary=res("meanfield/digits_cascade.json"),
    output:
        **figure_outputs("fig03_discrete_cascade", "Mean field"),
    log:
        logfile("figures", "fig03_discrete_cascade"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig03_discrete_cascade.py"


rule plot_fig04_sphere_order_parameter:
    input:
        spheres=expand(res("meanfield/sphere/d{d}.npz"), d=SPHERE_DIMS),
    output:
        **figure_outputs("fig04_sphere_order_parameter", "Mean field"),
    log:
        logfile("figures", "fig04_sphere_order_parameter"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig04_sphere_order_parameter.py"


rule plot_fig05_diffused_ising:
    input:
        couplings=expand(res("meanfield/ising/b{coupling}.npz"), coupling=COUPLINGS),
    output:
        **figure_outputs("fig05_diffused_ising", "Mean field"),
    log:
        logfile("figures", "fig05_diffused_ising"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig05_diffused_ising.py"


rule plot_fig06_critical_exponents:
    input:
        fits=res("meanfield/two_delta_exponents.npz"),
        summary=res("meanfield/two_delta_exponents.json"),
    output:
        **figure_outputs("fig06_critical_exponents", "Mean field"),
    log:
        logfile("figures", "fig06_critical_exponents"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig06_critical_exponents.py"


rule plot_fig07_simplex_first_order:
    input:
        simplex=expand(res("meanfield/simplex/q{q}.npz"), q=SIMPLEX_Q),
    output:
        **figure_outputs("fig07_simplex_first_order", "Mean field"),
    log:
        logfile("figures", "fig07_simplex_first_order"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig07_simplex_first_order.py"


rule claims_meanfield:
    input:
        two_delta=res("meanfield/two_delta_critical.json"),
        exponents=res("meanfield/two_delta_exponents.json"),
        four_point=res("meanfield/four_point_cascade.json"),
        digits=res("meanfield/digits_cascade.json"),
        gaussian=res("meanfield/gaussian.json"),
        spheres=expand(res("meanfield/sphere/d{d}.json"), d=SPHERE_DIMS),
        goldstone=res("meanfield/sphere_goldstone.json"),
        couplings=expand(res("meanfield/ising/b{coupling}.json"), coupling=COUPLINGS),
        chain=res("meanfield/ising_chain.json"),
        simplex=expand(res("meanfield/simplex/q{q}.json"), q=SIMPLEX_Q),
    output:
        claims=res("claims/meanfield.csv"),
        values=res("macros/meanfield.tex"),
    log:
        logfile("meanfield", "claims_meanfield"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/meanfield/claims_meanfield.py"


rule meanfield:
    input:
        rules.claims_meanfield.output,
        [res(f"figures/{fig}.pdf") for fig in MEANFIELD_FIGURES],
