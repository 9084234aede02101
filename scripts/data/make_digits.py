"""Scikit-learn's bundled 8x8 digits: check the raw file's sha256, scale, centre, write."""

from pathlib import Path

from thermodiff import datasets
from thermodiff import io as tio
from thermodiff.provenance import note_input

log = tio.start_job(snakemake)
raw = datasets.digits_csv_path()
note_input(raw)  # the raw file ships inside scikit-learn: the record lists it as an input
digest = tio.sha256_file(raw)
if digest != snakemake.params.sha256:
    raise tio.InputError(
        f"{raw}: sha256 {digest} differs from config key data.digits.sha256 "
        f"({snakemake.params.sha256}); a different scikit-learn ships different digits. "
        "Install the pinned envs/requirements.txt, or update the key after checking the data."
    )
images, labels = datasets.load_digits_raw()
y, mean = datasets.scale_and_centre(images, snakemake.params.pixel_scale)
log.info("digits: %s, pixels/%s, centred", y.shape, snakemake.params.pixel_scale)
tio.write_dataset(
    Path(snakemake.output.manifest).parent,
    {"y": y, "labels": labels, "mean": mean},
    seed=None,
    source=f"scikit-learn bundled {raw.name} (sha256 {digest})",
    params={"pixel_scale": snakemake.params.pixel_scale},
)
tio.finish_job(snakemake)
