"""Write one synthetic dataset (arrays + manifest) from its parameters."""

from pathlib import Path

from thermodiff import datasets
from thermodiff import io as tio

tio.start_job(snakemake)
p = snakemake.params
arrays = datasets.build_synthetic(p.name, dict(p.spec), p.seed, p.seed_keys)
tio.write_dataset(
    Path(snakemake.output.manifest).parent,
    arrays,
    seed=p.seed,
    source=f"synthetic: thermodiff.datasets.SYNTHETIC[{p.name!r}], rng keys {list(p.seed_keys)}",
    params=dict(p.spec),
)
tio.finish_job(snakemake)
