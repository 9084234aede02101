"""fig15: the reverse-SDE ensemble stays in equilibrium: KS distance to the exact p_T against T."""

import matplotlib.pyplot as plt

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
s = tio.load_npz(snakemake.input.two_delta)
t = s["record_temperature"] / float(s["t_c"])
plotting.use_style()
fig, ax = plt.subplots(figsize=(3.4, 2.6))
ax.plot(t, s["ks"], "o-", ms=3, label="KS distance to exact $p_T$")
ax.axhline(float(s["ks_critical"]), color="C3", ls="--", lw=1.0, label="critical value")
plotting.mark_critical(ax, 1.0)
ax.set_xscale("log")
ax.set_ylim(0, 1.5 * float(s["ks_critical"]))
ax.set_xlabel(r"$T/T_c$")
ax.set_ylabel("KS distance")
ax.legend(loc="lower right")
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
