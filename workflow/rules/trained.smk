# Trained-model stage (paper section 12): denoisers trained by the pipeline, and the phase
# transition measured in them with the same estimators as in the exact scores.
#
#   data -> prepare_training_sets -> train_denoiser (dataset: all seeds) -> probe_transition (dataset:
#   every score, CRN branching + Jacobian trajectories + commitment), probe_memorization
#        -> plot_fig3x_* ; claims_trained -> claims/trained.csv, macros/trained.tex
#
# Models are protected() (write-protected once trained; Snakemake refuses to overwrite them unless
# it runs as root). A killed training job resumes from results/trained/checkpoints/.
#
# A score is "exact" (analytic mixture denoiser, or the empirical denoiser of the training set)
# or "seed<k>" (the EMA network trained with seed k).


wildcard_constraints:
    dataset=r"mixture|digits01|digits10|digitsN\d+",
    seed=r"\d+",


rule prepare_training_sets:
    input:
        two_cluster=res("data/two_cluster/manifest.json"),
        two_cluster_arrays=dataset_arrays("two_cluster"),
        digits=res("data/digits/manifest.json"),
        digits_arrays=dataset_arrays("digits"),
    output:
        sets=[trained_set(d) for d in MAIN_SETS + MEM_SETS],
        markers=[res(f"trained/sets/{d}.json") for d in MAIN_SETS + MEM_SETS],
    log:
        logfile("trained", "prepare_training_sets"),
    priority: PRIORITY_TRAINED
    conda:
        CONDA_ENV
    params:
        datasets=MAIN_SETS + MEM_SETS,
        subset_seed=MEM["subset_seed"],
    script:
        "../../scripts/trained/prepare_training_sets.py"


# The seeds of a set, and the memorization ensemble (sizes x seeds), are each trained as one job:
# the networks are stacked (thermodiff.training.train_denoisers), every one with its own init,
# batches and noise, in one batched pass per step. One model, loss curve and run record per model.
rule train_denoiser:
    input:
        sets=[res("trained/sets/{dataset}.npz")],
    output:
        models=protected(trained_outputs("model.pt", ["{dataset}"], TRAINED["seeds"])),
        losses=trained_outputs("losses.npz", ["{dataset}"], TRAINED["seeds"]),
        runs=trained_outputs("run.json", ["{dataset}"], TRAINED["seeds"]),
    log:
        logfile("trained", "train_denoiser_{dataset}"),
    benchmark:
        benchfile("trained", "train_denoiser_{dataset}")
    wildcard_constraints:
        dataset="|".join(MAIN_SETS),
    priority: PRIORITY_TRAINED
    conda:
        CONDA_ENV
    threads: 1
    resources:
        gpu=TRAINED_GPU,
    params:
        name="{dataset}",
        datasets=["{dataset}"],
        seeds=TRAINED["seeds"],
        device=TRAINED["device"],
        model=TRAINED["model"],
        noise=TRAINED["noise"],
        training=TRAINED["training"],
        checkpoint_dir=res("trained/checkpoints"),
        # only the modules that shape training: editing a probe never retrains a model
    script:
        "../../scripts/trained/train_denoisers.py"


rule train_memorization:
    input:
        sets=[trained_set(d) for d in MEM_SETS],
    output:
        models=protected(trained_outputs("model.pt", MEM_SETS, MEM["seeds"])),
        losses=trained_outputs("losses.npz", MEM_SETS, MEM["seeds"]),
        runs=trained_outputs("run.json", MEM_SETS, MEM["seeds"]),
    log:
        logfile("trained", "train_memorization"),
    benchmark:
        benchfile("trained", "train_memorization")
    priority: PRIORITY_TRAINED
    conda:
        CONDA_ENV
    threads: 1
    resources:
        gpu=TRAINED_GPU,
    params:
        name="memorization",
        datasets=MEM_SETS,
        seeds=MEM["seeds"],
        device=TRAINED["device"],
        model=TRAINED["model"],
        noise=TRAINED["noise"],
        training=TRAINED["training"] | {"steps": MEM["steps"]},
        checkpoint_dir=res("trained/checkpoints"),
    script:
        "../../scripts/trained/train_denoisers.py"


rule probe_transition:
    input:
        unpack(probe_inputs),
    output:
        branching_arrays=res("trained/probes/{dataset}/branching.npz"),
        branching_summary=res("trained/probes/{dataset}/branching.json"),
        trajectories_arrays=res("trained/probes/{dataset}/trajectories.npz"),
        trajectories_summary=res("trained/probes/{dataset}/trajectories.json"),
        commitment_arrays=res("trained/probes/{dataset}/commitment.npz"),
        commitment_summary=res("trained/probes/{dataset}/commitment.json"),
    log:
        logfile("trained", "probe_transition_{dataset}"),
    benchmark:
        benchfile("trained", "probe_transition_{dataset}")
    priority: PRIORITY_TRAINED
    conda:
        CONDA_ENV
    threads: 1
    resources:
        gpu=TRAINED_GPU,
    params:
        dataset="{dataset}",
        scores=lambda w: probe_scores(w.dataset),
        branching_scores=lambda w: branching_scores(w.dataset),
        models=probe_models,
        device=TRAINED["device"],
        noise=TRAINED["noise"],
        probes=TRAINED["probes"],
    script:
        "../../scripts/trained/probe_transition.py"


rule probe_memorization:
    input:
        digits=res("data/digits/manifest.json"),
        digits_arrays=dataset_arrays("digits"),
        sets=[trained_set(d) for d in MEM_SETS],
        models=[trained_model(d, s) for d in MEM_SETS for s in MEM["seeds"]],
    output:
        memorization=res("trained/probes/memorization.npz"),
    log:
        logfile("trained", "probe_memorization"),
    benchmark:
        benchfile("trained", "probe_memorization")
    priority: PRIORITY_TRAINED
    conda:
        CONDA_ENV
    threads: 1
    params:
        sizes=MEM["sizes"],
        seeds=MEM["seeds"],
        n_samples=MEM["n_samples"],
        copy_ratio=MEM["copy_ratio"],
        noise=TRAINED["noise"],
        probes=TRAINED["probes"],
    script:
        "../../scripts/trained/probe_memorization.py"


rule claims_trained:
    input:
        markers=[res(f"trained/sets/{d}.json") for d in MAIN_SETS],
        branching=probe_outputs("branching", MAIN_SETS),
        commitment=probe_outputs("commitment", COMMIT_SETS),
        runs=[
            res(f"trained/models/{d}/seed{s}/run.json")
            for d in MAIN_SETS
            for s in TRAINED["seeds"]
        ],
        memorization=res("trained/probes/memorization.npz"),
    output:
        claims=res("claims/trained.csv"),
        values=res("macros/trained.tex"),
    log:
        logfile("trained", "claims_trained"),
    conda:
        CONDA_ENV
    params:
        probes=TRAINED["probes"],
        noise=TRAINED["noise"],
        two_cluster=config["data"]["two_cluster"],
    script:
        "../../scripts/trained/claims_trained.py"


# ---- figures: load the probes' arrays and plot (no computation)


rule plot_fig30_trained_susceptibility:
    input:
        **figure_inputs("branching", MAIN_SETS),
    output:
        **figure_outputs("fig30_trained_susceptibility", "Trained models"),
    log:
        logfile("figures", "fig30_trained_susceptibility"),
    conda:
        CONDA_ENV
    params:
        datasets=MAIN_SETS,
    script:
        "../../scripts/figures/fig30_trained_susceptibility.py"


rule plot_fig31_trained_clone_agreement:
    input:
        **figure_inputs("branching", MAIN_SETS),
    output:
        **figure_outputs("fig31_trained_clone_agreement", "Trained models"),
    log:
        logfile("figures", "fig31_trained_clone_agreement"),
    conda:
        CONDA_ENV
    params:
        datasets=MAIN_SETS,
    script:
        "../../scripts/figures/fig31_trained_clone_agreement.py"


rule plot_fig32_trained_jacobian:
    input:
        **figure_inputs("trajectories", MAIN_SETS),
    output:
        **figure_outputs("fig32_trained_jacobian", "Trained models"),
    log:
        logfile("figures", "fig32_trained_jacobian"),
    conda:
        CONDA_ENV
    params:
        datasets=MAIN_SETS,
    script:
        "../../scripts/figures/fig32_trained_jacobian.py"


rule plot_fig33_trained_class_commitment:
    input:
        **figure_inputs("commitment", COMMIT_SETS),
    output:
        **figure_outputs("fig33_trained_class_commitment", "Trained models"),
    log:
        logfile("figures", "fig33_trained_class_commitment"),
    conda:
        CONDA_ENV
    params:
        datasets=COMMIT_SETS,
    script:
        "../../scripts/figures/fig33_trained_class_commitment.py"


rule plot_fig34_trained_memorization:
    input:
        memorization=res("trained/probes/memorization.npz"),
    output:
        **figure_outputs("fig34_trained_memorization", "Trained models"),
    log:
        logfile("figures", "fig34_trained_memorization"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/figures/fig34_trained_memorization.py"


rule plot_fig35_trained_samples:
    input:
        **figure_inputs("trajectories", COMMIT_SETS),
    output:
        **figure_outputs("fig35_trained_samples", "Trained models"),
    log:
        logfile("figures", "fig35_trained_samples"),
    conda:
        CONDA_ENV
    params:
        datasets=COMMIT_SETS,
        seed=f"seed{TRAINED['seeds'][0]}",
    script:
        "../../scripts/figures/fig35_trained_samples.py"


rule trained:
    input:
        rules.claims_trained.output,
        [res(f"figures/{fig}.pdf") for fig in TRAINED_FIGURES],
