"""fig02: two-delta pitchfork x*(T) with stable/unstable branches, explicit bias, susceptibilities."""

import matplotlib.pyplot as plt
import numpy as np

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
d = tio.load_npz(snakemake.input.pitchfork)
a, t_c = float(d["a"]), float(d["critical_temperature"])
tau, stable = d["temperature"] / t_c, d["stable"] / a
sym_ok = d["symmetric_stable"].astype(bool)
plotting.use_style()
fig, (ax, bx) = plt.subplots(1, 2, figsize=(6.4, 2.7))
for sign in (1, -1):
    ax.plot(tau[~sym_ok], sign * stable[~sym_ok], color="C0", label="stable" if sign > 0 else None)
ax.plot(tau[sym_ok], 0 * tau[sym_ok], color="C0")
ax.plot(tau[~sym_ok], 0 * tau[~sym_ok], "--", color="C0", label="unstable ($x^*=0$)")
shades = plt.cm.Oranges(np.linspace(0.45, 0.9, len(d["bias_fields"])))
for h, major, minor, color in zip(
    d["bias_fields"], d["majority"], d["minority"], shades, strict=True
):
    ax.plot(tau, major / a, color=color, lw=0.9, label=f"bias $h={h:g}$")
    exists = minor < 0  # the metastable branch exists only below its spinodal
    ax.plot(tau[exists], minor[exists] / a, ":", color=color, lw=0.9)
plotting.mark_critical(ax, 1.0, r"$T_c=a^2$")
ax.set_xlabel(r"temperature $T/T_c$")
ax.set_ylabel(r"fixed point $x^*/a$")
ax.set_title("(a) pitchfork of $x = a\\tanh(ax/T + h)$", loc="left")
ax.legend(loc="lower right")

bx.plot(tau, d["chi_stable"], color="C0", label=r"bare $\chi(x^*)$, stable branch")
bx.plot(
    tau[~sym_ok], d["chi_symmetric"][~sym_ok], "--", color="C0", label=r"bare $\chi(0)$, unstable"
)
bx.plot(tau, d["dressed"], color="C1", label=r"dressed $dx^*/dh$")
plotting.mark_guide(bx, 1.0)
plotting.mark_critical(bx, 1.0)
bx.set_yscale("log")
bx.set_ylim(1e-2, 1e3)
bx.set_xlabel(r"temperature $T/T_c$")
bx.set_ylabel("susceptibility")
bx.set_title("(b) bare and dressed susceptibility", loc="left")
bx.legend(loc="lower right")
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
