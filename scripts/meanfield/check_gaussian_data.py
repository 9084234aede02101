"""Gaussian data never break symmetry (docs/theory.md §Gaussian data): lambda_max(chi) < 1 at every T."""

import numpy as np

from thermodiff import io as tio
from thermodiff import meanfield as mf

log = tio.start_job(snakemake)
p = snakemake.params
y = tio.load_dataset(snakemake.input.digits)["y"]  # a Gaussian with the digits' mean and covariance
mean, cov = y.mean(axis=0), np.cov(y.T, bias=True)
cov_eigenvalues = np.linalg.eigvalsh(cov)
temperatures = cov_eigenvalues[-1] * np.geomspace(p.t_min, p.t_max, p.n)
measured, distance = [], []
for t in temperatures:
    x, chi = mf.denoiser_fixed_point(
        lambda x, t=t: mf.gaussian_magnetisation(x, mean, cov, t), y[0]
    )
    measured.append(np.linalg.eigvalsh(0.5 * (chi + chi.T))[-1])
    distance.append(np.linalg.norm(x - mean))
closed = mf.gaussian_susceptibility_eigenvalues(cov_eigenvalues, temperatures).max(axis=1)
log.info("max lambda_max(chi) over T: %.12f", max(measured))
tio.save_npz(snakemake.output.path, temperature=temperatures, lambda_max=measured, closed=closed)
tio.write_json(
    snakemake.output.summary,
    {
        "max_lambda_max": max(measured),
        "temperature_range": [temperatures[0], temperatures[-1]],
        "max_fixed_point_distance_from_mean": max(distance),
        "max_deviation_from_closed_form": float(np.max(np.abs(np.array(measured) - closed))),
    },
)
tio.finish_job(snakemake)
