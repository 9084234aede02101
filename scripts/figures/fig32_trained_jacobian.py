"""fig32: spectrum of the denoiser Jacobian chi = dm/dx along generated trajectories."""

import matplotlib.pyplot as plt
import numpy as np

from thermodiff import io as tio
from thermodiff import plotting
from thermodiff.stages.trained.probe_files import split_by_score

tio.start_job(snakemake)
plotting.use_style()
sets = snakemake.params.datasets
fig, axes = plt.subplots(2, len(sets), figsize=(min(2.3 * len(sets), 6.4), 3.9), sharex="col", squeeze=False)
rows = (("top_eigenvalue", r"top eigenvalue $\lambda_{\max}(\chi)$"),
        ("along_direction", r"order parameter $u^\top\chi u$"))  # fmt: skip
for col, (name, path) in enumerate(zip(sets, snakemake.input.arrays, strict=True)):
    arrays = tio.load_npz(path)
    for row, (key, ylabel) in enumerate(rows):
        ax = axes[row, col]
        for score, d in sorted(split_by_score(arrays).items()):
            exact = score == "exact"
            x = d["temperatures"] / float(arrays["t_ref"])
            mean = d[key].mean(1)
            se = d[key].std(1, ddof=1) / np.sqrt(d[key].shape[1])
            ax.errorbar(x, mean, se, color="k" if exact else None, ls="--" if exact else "-",
                        marker="o", ms=2, capsize=0,
                        label="exact score" if exact else f"network ({score})")  # fmt: skip
        if row == 0:
            plotting.mark_guide(ax, 1.0)
            ax.set_title(name)
        plotting.mark_critical(ax, 1.0, label=r"$T_c=\lambda_{\max}$")
        ax.set_xscale("log")
        if col == 0:
            ax.set_ylabel(ylabel)
    axes[1, col].set_xlabel(r"$T/T_c$ along generation")
axes[0, 0].legend(loc="upper left", fontsize=7.5)
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
