"""fig10: reverse-SDE and probability-flow paths of the two deltas over the pitchfork."""

import matplotlib.pyplot as plt

from thermodiff import io as tio
from thermodiff import meanfield as mf
from thermodiff import plotting

tio.start_job(snakemake)
s = tio.load_npz(snakemake.input.two_delta)
a, t_c = float(s["a"]), float(s["t_c"])
t = s["path_temperature"] / t_c
plotting.use_style()
fig, axes = plt.subplots(1, 2, figsize=(6.4, 2.8), sharey=True)
branch = mf.two_delta_order_parameter(t * t_c, a) / a
for ax, key, title in zip(
    axes, ("sde_paths", "ode_paths"), ("(a) reverse SDE", "(b) probability flow"), strict=True
):
    ax.plot(t, s[key] / a, color="C0", lw=0.4, alpha=0.5)
    ax.plot(t, branch, color="k", lw=1.2)
    ax.plot(t, -branch, color="k", lw=1.2, label=r"fixed points $\pm x^*(T)$")
    plotting.mark_critical(ax, 1.0, r"$T_c$")
    ax.axvline(
        float(s["decision_predicted"]) / t_c, color="C3", ls="--", lw=1.0, label=r"decision $T^*$"
    )
    ax.set_xscale("log")
    ax.set_xlim(t.min(), 10)
    ax.set_ylim(-3, 3)
    ax.invert_xaxis()
    ax.set_xlabel(r"temperature $T/T_c$ (generation runs right)")
    ax.set_title(title, loc="left")
axes[0].set_ylabel(r"state $x/a$")
axes[1].legend(loc="lower left")
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
