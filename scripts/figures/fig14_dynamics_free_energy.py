"""fig14: free energy F(x_T, T) along probability-flow and reverse-SDE paths of the two deltas."""

import matplotlib.pyplot as plt

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
s = tio.load_npz(snakemake.input.two_delta)
t_c = float(s["t_c"])
t = s["path_temperature"] / t_c
plotting.use_style()
fig, axes = plt.subplots(1, 2, figsize=(7.0, 2.6), sharey=True)
for ax, key, title in zip(
    axes,
    ("ode_free_energy", "sde_free_energy"),
    ("(a) probability flow: monotone", "(b) reverse SDE: fluctuates"),
    strict=True,
):
    ax.plot(t, s[key] / t_c, color="C0", lw=0.4, alpha=0.6)
    plotting.mark_critical(ax, 1.0)
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.set_xlabel(r"$T/T_c$ (generation runs right)")
    ax.set_title(title, loc="left")
axes[0].set_ylabel(r"$F(x_T,T)/T_c$")
plotting.finish_figure(snakemake, fig, __file__)
