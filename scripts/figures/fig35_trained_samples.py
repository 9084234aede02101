"""fig35: denoised states m(x_T, T) along generation, exact score beside the trained network.

One row of panels per dataset; in each, the exact score (left) and the network (right) run from
the same start states with the same noise, so column j of both blocks is the same trajectory.
Rows are temperatures T / T_c (hottest on top); the number left of each row is the rms spread of
the denoised states across trajectories (pixel units), which grows as the sample commits.
"""

import matplotlib.pyplot as plt
import numpy as np

from thermodiff import io as tio
from thermodiff import plotting
from thermodiff.stages.trained.probe_files import split_by_score

tio.start_job(snakemake)
plotting.use_style()
sets, seed = snakemake.params.datasets, snakemake.params.seed
arrays = [tio.load_npz(path) for path in snakemake.input.arrays]
data = [split_by_score(a) for a in arrays]
n_t, n_traj = data[0]["exact"]["snapshots"].shape[:2]
side = 0.29  # inches per image
width = max(2 * n_traj * side + 1.2, 4.5)
fig = plt.figure(figsize=(width, len(sets) * (n_t * side + 0.6)))
rows = fig.subfigures(len(sets), 1, hspace=0.03, squeeze=False)[:, 0]
for row, name, scores, a in zip(rows, sets, data, arrays, strict=True):
    blocks = row.subfigures(1, 2, wspace=0.03)
    for block, score, label in zip(
        blocks, ("exact", seed), ("exact score", f"network ({seed})"), strict=True
    ):
        snaps = scores[score]["snapshots"]  # (n_t, n_traj, 64)
        temps = scores[score]["snapshot_temperatures"] / float(a["t_ref"])
        spread = np.sqrt(((snaps - snaps.mean(axis=1, keepdims=True)) ** 2).sum(-1).mean(-1))
        axes = block.subplots(
            n_t, n_traj, squeeze=False, gridspec_kw={"hspace": 0.05, "wspace": 0.05}
        )
        for k in range(n_t):
            for j in range(n_traj):
                ax = axes[k, j]
                ax.imshow(snaps[k, j].reshape(8, 8), cmap="gray_r", vmin=0.0, vmax=1.0)
                ax.set_xticks([])
                ax.set_yticks([])
            axes[k, 0].set_ylabel(
                f"{temps[k]:.2g}\n({spread[k]:.2f})", rotation=0, ha="right", va="center",
                fontsize=7.5,
            )  # fmt: skip
        block.suptitle(label, fontsize=7.5)
    row.supylabel(rf"{name}: $T/T_c$ (spread)", fontsize=7.5)
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
