"""fig18: the free energy of stored patterns (a modern-Hopfield energy) along a segment between two
patterns, at several temperatures."""

import matplotlib.pyplot as plt

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
h = min((tio.load_npz(f) for f in snakemake.input.hopfield), key=lambda h: int(h["d"]))
plotting.use_style()
fig, ax = plt.subplots(figsize=(3.4, 2.6))
for i, (t, e) in enumerate(zip(h["landscape_temperatures"], h["landscape"], strict=True)):
    ax.plot(h["segment"], e - e.min(), color=f"C{i}", label=f"$T={t:g}$")
for s in (0.0, 1.0):
    ax.axvline(s, color="0.7", lw=0.7)
ax.set_xlabel(r"position between patterns $y_1$ (0) and $y_2$ (1)")
ax.set_ylabel(r"$F(x,T)-\min F$")
ax.set_title(f"$d={int(h['d'])}$, six stored patterns", loc="left")
ax.legend()
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
