"""D u -D: the centred digits together with their negatives (an exact y -> -y symmetry)."""

from pathlib import Path

import numpy as np

from thermodiff import datasets
from thermodiff import io as tio

tio.start_job(snakemake)
digits = tio.load_dataset(snakemake.input.manifest)
tio.write_dataset(
    Path(snakemake.output.manifest).parent,
    {"y": datasets.symmetrise(digits["y"]), "labels": np.tile(digits["labels"], 2)},
    seed=None,
    source=f"{snakemake.input.manifest} and its negatives",
)
tio.finish_job(snakemake)
