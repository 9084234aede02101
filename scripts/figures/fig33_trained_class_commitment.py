"""fig33: noise-and-regenerate: class kept vs identity kept against the noise temperature."""

import matplotlib.pyplot as plt
import numpy as np

from thermodiff import io as tio
from thermodiff import plotting
from thermodiff.stages.trained.probe_files import split_by_score

tio.start_job(snakemake)
plotting.use_style()
sets = snakemake.params.datasets
fig, axes = plt.subplots(1, len(sets), figsize=(min(2.8 * len(sets), 6.4), 3.2), sharey=True)
for ax, name, path in zip(np.atleast_1d(axes), sets, snakemake.input.arrays, strict=True):
    arrays = tio.load_npz(path)
    for score, d in sorted(split_by_score(arrays).items()):
        x = d["temperatures"] / float(arrays["t_ref"])
        if score == "theory":  # posterior of the exact score, no sampler (commitment_theory)
            ax.plot(x, d["class_kept"].mean(1), color="0.6", lw=2.2, alpha=0.7,
                    label="posterior: class", zorder=0)  # fmt: skip
            ax.plot(x, d["identity_kept"].mean(1), color="0.6", lw=2.2, alpha=0.7, ls="--",
                    label="posterior: identity", zorder=0)  # fmt: skip
            continue
        color, who = ("k", "exact") if score == "exact" else (None, f"net {score}")
        line = ax.plot(x, d["class_kept"].mean(1), color=color, marker="o", ms=2,
                       label=f"{who}: class")[0]  # fmt: skip
        ax.plot(x, d["identity_kept"].mean(1), color=line.get_color(), ls="--", marker="s", ms=2,
                label=f"{who}: identity")  # fmt: skip
    plotting.mark_critical(ax, 1.0)
    ax.set_xscale("log")
    ax.set_title(name)
    ax.set_xlabel(r"noise temperature $T/T_c$")
np.atleast_1d(axes)[0].set_ylabel("fraction kept after regeneration")
# the legend goes below the panels: inside, it covered the curves at low temperature
handles, labels = np.atleast_1d(axes)[0].get_legend_handles_labels()
fig.legend(handles, labels, loc="outside lower center", ncol=min(3, 2 * len(sets)), fontsize=7.5)
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
