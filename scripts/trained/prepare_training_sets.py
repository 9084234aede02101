"""Training sets of the trained-model experiments: data, order parameter, analytic markers."""

from thermodiff import io as tio
from thermodiff.stages.trained import training_sets

log = tio.start_job(snakemake)
p = snakemake.params
parents = {name: tio.load_dataset(snakemake.input[name]) for name in ("two_cluster", "digits")}
variance = tio.read_json(snakemake.input.two_cluster)["params"]["variance"]
for name, arrays_path, markers_path in zip(
    p.datasets, snakemake.output.sets, snakemake.output.markers, strict=True
):
    data = parents["two_cluster" if name == "mixture" else "digits"]
    train = training_sets.training_set(
        name, data["y"], data["labels"], mu=data.get("mu"), variance=variance,
        pixel_mean=data.get("mean"), subset_seed=p.subset_seed,
    )  # fmt: skip
    markers = train.pop("markers")
    log.info("%s: N = %d, d = %d, lambda_max = %.4g, T_ref = %.4g",
             name, *train["y"].shape, train["lambda_max"], train["t_ref"])  # fmt: skip
    tio.save_npz(arrays_path, **train)
    tio.write_json(
        markers_path,
        {"dataset": name, "classifier": train["classifier"], "n": len(train["y"])}
        | {"dim": train["y"].shape[1]}
        | {"lambda_max": train["lambda_max"], "t_ref": train["t_ref"], "markers": markers},
    )
tio.finish_job(snakemake)
