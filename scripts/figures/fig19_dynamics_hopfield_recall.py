"""fig19: recall success of fixed-point iteration at T = sigma^2 against N / N_max, per d."""

import matplotlib.pyplot as plt
import numpy as np

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
hs = sorted((tio.load_npz(f) for f in snakemake.input.hopfield), key=lambda h: int(h["d"]))
plotting.use_style()
fig, ax = plt.subplots(figsize=(3.4, 2.6))
for i, h in enumerate(hs):
    ax.plot(
        h["sizes"] / float(h["n_max"]),
        h["success"],
        "o-",
        ms=3,
        color=f"C{i}",
        label=f"$d={int(h['d'])}$",
    )
    ax.axvline(np.exp(float(h["log_n_half"])) / float(h["n_max"]), color=f"C{i}", ls=":", lw=0.8)
ax.axvline(1.0, color="k", lw=1.0, label=r"$N_{\max}=(1+s^2/\sigma^2)^{d/2}$")
ax.axhline(0.5, color="0.7", lw=0.7)
ax.set_xscale("log")
ax.set_xlabel(r"stored patterns $N/N_{\max}$")
ax.set_ylabel("recall success")
ax.legend(loc="lower left")
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
