"""fig35: denoised states m(x_T, T) of a few generated trajectories across the transition."""

import matplotlib.pyplot as plt

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
plotting.use_style()
sets, seed = snakemake.params.datasets, snakemake.params.seed
data = [tio.load_npz(path) for path in snakemake.input.arrays]
n_t, n_traj = data[0][f"{seed}__snapshots"].shape[:2]
fig = plt.figure(figsize=(3.0 * len(sets), 0.36 * n_traj + 0.45))
blocks = fig.subfigures(1, len(sets), wspace=0.04, squeeze=False)[0]
for block, name, d in zip(blocks, sets, data, strict=True):
    snaps, temps = d[f"{seed}__snapshots"], d[f"{seed}__snapshot_temperatures"]
    axes = block.subplots(n_traj, n_t, squeeze=False, gridspec_kw={"hspace": 0.06, "wspace": 0.06})
    for j in range(n_traj):
        for k in range(n_t):
            ax = axes[j, k]
            ax.imshow(snaps[k, j].reshape(8, 8), cmap="gray_r", vmin=0.0, vmax=1.0)
            ax.set_xticks([])
            ax.set_yticks([])
            if j == 0:
                ax.set_title(f"{temps[k] / float(d['t_ref']):.2g}", fontsize=6)
    block.suptitle(rf"{name}: $m(x_T,T)$ at $T/T_c$ =", fontsize=7)
plotting.finish_figure(snakemake, fig, __file__)
