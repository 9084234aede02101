"""fig14: free energy F(x_T, T) along probability-flow and reverse-SDE paths of the two deltas,
and snapshots of the landscape F(x, T) (closed form) at a few temperatures of those paths."""

import matplotlib.pyplot as plt
import numpy as np

from thermodiff import io as tio
from thermodiff import plotting
from thermodiff.meanfield import two_delta_free_energy

SNAPSHOTS = (4.0, 1.0, 0.5, 0.1)  # T / T_c of the landscape snapshots (nearest path temperature)

tio.start_job(snakemake)
s = tio.load_npz(snakemake.input.two_delta)
t_c, a = float(s["t_c"]), float(s["a"])
t = s["path_temperature"] / t_c
plotting.use_style()
fig, axes = plt.subplots(1, 3, figsize=(6.4, 2.6))
for ax, key, title in zip(
    axes[:2],
    ("ode_free_energy", "sde_free_energy"),
    ("(a) probability flow", "(b) reverse SDE"),  # short: 3 panels on 6.4 in
    strict=True,
):
    ax.plot(t, s[key] / t_c, color="C0", lw=0.4, alpha=0.6)
    plotting.mark_critical(ax, 1.0)
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.set_xlabel(r"$T/T_c$ (generation runs right)")
    ax.set_title(title, loc="left")
axes[1].sharey(axes[0])
axes[0].set_ylabel(r"$F(x_T,T)/T_c$")
# (c) the landscape the paths descend: F(x, T) = (x^2 + a^2)/2 - T log cosh(ax/T)
ax = axes[2]
snaps = [int(np.argmin(np.abs(np.log(t / ratio)))) for ratio in SNAPSHOTS]
half = max(2.0 * a, float(np.abs(s["ode_paths"][snaps]).max()))
x = np.linspace(-half, half, 401)
for j, k in enumerate(snaps):
    temp = float(s["path_temperature"][k])
    ax.plot(
        x / a,
        two_delta_free_energy(x, temp, a) / t_c,
        color=f"C{j}",
        lw=1.0,
        label=rf"$T/T_c={t[k]:.2g}$",
    )
    xs = s["ode_paths"][k]
    ax.plot(xs / a, two_delta_free_energy(xs, temp, a) / t_c, "o", color=f"C{j}", ms=2.5)
ax.set_xlabel(r"$x/a$")
ax.set_ylabel(r"$F(x,T)/T_c$")
ax.set_title("(c) landscape", loc="left")
ax.legend(fontsize="small")
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
