"""fig34: fraction of samples copying a training image against N; REM condensation temperature."""

import matplotlib.pyplot as plt

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
plotting.use_style()
d = tio.load_npz(snakemake.input.memorization)
n = d["sizes"]
fig, (ax, bx) = plt.subplots(1, 2, figsize=(5.6, 2.4))
for j in range(len(d["seeds"])):
    ax.plot(n, d["frac_net"][:, j], "o", color="C0", ms=3, alpha=0.6,
            label="network (each seed)" if j == 0 else None)  # fmt: skip
ax.plot(n, d["frac_net"].mean(1), color="C0", label="network (mean)")
ax.plot(n, d["frac_exact"], "k--", marker="s", ms=3, label="exact score")
ax.set_xscale("log")
ax.set_xlabel("training-set size $N$")
ax.set_ylabel("fraction of copies")
ax.legend(fontsize=7.5)
bx.plot(n, d["t_rem"], color="C1", marker="o", ms=3, label=r"REM $s^2/(N^{2/d}-1)$")
bx.plot(n, d["t_own"], color="C2", marker="s", ms=3, label=r"median own weight $=\frac{1}{2}$")
plotting.mark_guide(bx, float(d["t_min"]), "end of generation $T_{\\min}$")
bx.set_xscale("log")
bx.set_yscale("log")
bx.set_xlabel("training-set size $N$")
bx.set_ylabel("condensation temperature")
bx.legend(fontsize=7.5)
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
