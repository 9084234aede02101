"""fig13: the cascade of decisions of the (+-a, +-b) set: two instability windows."""

import matplotlib.pyplot as plt

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
s = tio.load_npz(snakemake.input.four_point)
plotting.use_style()
fig, axes = plt.subplots(1, 2, figsize=(6.4, 2.7))
t = s["record_temperature"]
eig = s["chi_eigenvalues_mean"]
for k in range(eig.shape[1]):
    axes[0].plot(t, eig[:, k], "o-", ms=2, label=f"eigenvalue {k + 1}")
axes[0].axhline(1.0, color="0.7", lw=0.7)
axes[0].set_ylabel(r"mean eigenvalues of $\chi(x_T)$")
axes[0].set_title("(a) susceptibility along generation", loc="left")
for j, t_axis in enumerate(s["t_c"]):
    plotting.mark_critical(axes[0], float(t_axis))
    kt = s[f"kick_temperature_{j}"]
    axes[1].plot(kt, s[f"sensitivity_{j}"], "o", ms=2, color=f"C{j}", label=f"axis {j + 1}")
    axes[1].plot(kt, s[f"sensitivity_exact_{j}"], "-", lw=0.8, color=f"C{j}")
    axes[1].axvline(float(s["peak"][j]), color=f"C{j}", ls="--", lw=0.9)
axes[1].set_ylabel(r"$\partial P(\mathrm{side})/\partial x_k$")
axes[1].set_title("(b) decisions, one per axis", loc="left")
axes[1].set_xscale("log")
plotting.short_log_ticks(axes[1])  # (b) spans about a decade: its minor labels overlapped
axes[0].legend()
axes[1].legend()
for ax in axes:
    ax.set_xscale("log")
    ax.set_xlabel(r"temperature $T$")
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
