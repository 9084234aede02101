# Data stage: every dataset the later stages read, as .npy arrays plus a manifest.json
# (sha256, shape, dtype of each file; seed; source). Sizes and seeds come from config["data"].

DATA = config["data"]


rule make_two_delta:
    output:
        **dataset_files("two_delta"),
    log:
        logfile("data", "make_two_delta"),
    conda:
        CONDA_ENV
    params:
        name="two_delta",
        spec=DATA["two_delta"],
        seed=None,
        seed_keys=[],
    script:
        "../../scripts/data/make_synthetic.py"


rule make_four_point:
    output:
        **dataset_files("four_point"),
    log:
        logfile("data", "make_four_point"),
    conda:
        CONDA_ENV
    params:
        name="four_point",
        spec=DATA["four_point"],
        seed=None,
        seed_keys=[],
    script:
        "../../scripts/data/make_synthetic.py"


rule make_simplex:
    output:
        **dataset_files("simplex/q{q}"),
    log:
        logfile("data", "make_simplex_q{q}"),
    conda:
        CONDA_ENV
    params:
        name="simplex",
        spec=lambda w: {
            "q": int(w.q),
            "lambda_max": config["meanfield"]["simplex"]["lambda_max"],
        },
        seed=None,
        seed_keys=[],
    script:
        "../../scripts/data/make_synthetic.py"


rule make_sphere:
    output:
        **dataset_files("sphere/d{d}"),
    log:
        logfile("data", "make_sphere_d{d}"),
    conda:
        CONDA_ENV
    params:
        name="sphere",
        spec=lambda w: {
            "d": int(w.d),
            "radius": config["meanfield"]["sphere"]["radius"],
            "n_samples": DATA["sphere"]["n_samples"],
        },
        seed=DATA["sphere"]["seed"],
        seed_keys=lambda w: [int(w.d)],
    script:
        "../../scripts/data/make_synthetic.py"


rule make_curie_weiss:
    output:
        **dataset_files("curie_weiss/b{coupling}"),
    log:
        logfile("data", "make_curie_weiss_b{coupling}"),
    conda:
        CONDA_ENV
    params:
        name="curie_weiss",
        spec=lambda w: {
            "d": DATA["curie_weiss"]["d"],
            "coupling": float(w.coupling),
            "n_samples": DATA["curie_weiss"]["n_samples"],
        },
        seed=DATA["curie_weiss"]["seed"],
        seed_keys=lambda w: [float(w.coupling)],
    script:
        "../../scripts/data/make_synthetic.py"


rule make_rem_patterns:
    output:
        **dataset_files("rem_gaussian/d{d}/r{r}"),
    log:
        logfile("data", "make_rem_patterns_d{d}_r{r}"),
    priority: PRIORITY_REM
    conda:
        CONDA_ENV
    params:
        name="rem_gaussian",
        spec=lambda w: {
            "d": int(w.d),
            "n_samples": REM_PATTERN_ROWS[int(w.d)],
            "variance": config["rem"]["variance"],
        },
        seed=DATA["rem_gaussian"]["seed"],
        seed_keys=lambda w: [int(w.d), int(w.r)],
    script:
        "../../scripts/data/make_synthetic.py"


rule make_rem_binary:
    output:
        **dataset_files("rem_binary/d{d}/r{r}"),
    log:
        logfile("data", "make_rem_binary_d{d}_r{r}"),
    priority: PRIORITY_REM
    conda:
        CONDA_ENV
    params:
        name="rem_binary",
        spec=lambda w: {
            "d": int(w.d),
            "n_samples": REM_BINARY_ROWS[int(w.d)],
        },
        seed=DATA["rem_binary"]["seed"],
        seed_keys=lambda w: [int(w.d), int(w.r)],
    script:
        "../../scripts/data/make_synthetic.py"


rule make_two_cluster:
    output:
        **dataset_files("two_cluster"),
    log:
        logfile("data", "make_two_cluster"),
    conda:
        CONDA_ENV
    params:
        name="two_cluster",
        spec={k: v for k, v in DATA["two_cluster"].items() if k != "seed"},
        seed=DATA["two_cluster"]["seed"],
        seed_keys=[],
    script:
        "../../scripts/data/make_synthetic.py"


rule make_digits:
    output:
        **dataset_files("digits"),
    log:
        logfile("data", "make_digits"),
    priority: PRIORITY_TRAINED
    conda:
        CONDA_ENV
    params:
        pixel_scale=DATA["digits"]["pixel_scale"],
        sha256=DATA["digits"]["sha256"],
    script:
        "../../scripts/data/make_digits.py"


rule symmetrise_digits:
    input:
        manifest=res("data/digits/manifest.json"),
        manifest_arrays=dataset_arrays("digits"),
    output:
        **dataset_files("digits_symmetric"),
    log:
        logfile("data", "symmetrise_digits"),
    conda:
        CONDA_ENV
    script:
        "../../scripts/data/symmetrise_digits.py"


DATASETS = [
    res("data/two_delta/manifest.json"),
    res("data/four_point/manifest.json"),
    *[
        res(f"data/simplex/q{q}/manifest.json")
        for q in config["meanfield"]["simplex"]["q"]
    ],
    *[
        res(f"data/sphere/d{d}/manifest.json")
        for d in config["meanfield"]["sphere"]["dims"]
    ],
    *[
        res(f"data/curie_weiss/b{coupling_label(b)}/manifest.json")
        for b in config["meanfield"]["ising"]["couplings"]
    ],
    *[
        res(f"data/rem_gaussian/d{d}/r{r}/manifest.json")
        for d in sorted(
            {
                *config["rem"]["dims"],
                *config["rem"]["alpha_sweep"]["dims"],
                *config["rem"]["memorization"]["dims"],
            }
        )
        for r in range(config["rem"]["n_datasets"])
    ],
    *[
        res(f"data/rem_binary/d{config['rem']['binary']['dim']}/r{r}/manifest.json")
        for r in range(config["rem"]["n_datasets"])
    ],
    res("data/digits/manifest.json"),
    res("data/digits_symmetric/manifest.json"),
    res("data/two_cluster/manifest.json"),
]


rule data:
    input:
        DATASETS,
