"""fig17: <x^2> of the generative bath at T_c against M (log-log), slope -1/2."""

import matplotlib.pyplot as plt
import numpy as np

from thermodiff import io as tio
from thermodiff import plotting

tio.start_job(snakemake)
baths = sorted((tio.load_npz(f) for f in snakemake.input.baths), key=lambda b: int(b["m"]))
m = np.array([float(b["m"]) for b in baths])
a2 = float(baths[0]["a"]) ** 2
plotting.use_style()
fig, ax = plt.subplots(figsize=(3.4, 2.6))
ax.loglog(m, [float(b["x2_quadrature"]) / a2 for b in baths], "k-", lw=0.8, label="quadrature")
ax.errorbar(
    m,
    [float(b["x2_simulated"]) / a2 for b in baths],
    yerr=[float(b["x2_err"]) / a2 for b in baths],
    fmt="o",
    ms=3,
    label="Gibbs sampling",
)
grid = np.geomspace(m.min(), m.max(), 50)
ax.loglog(grid, 1.1708 / np.sqrt(grid), "--", color="C3", lw=0.9, label=r"$1.1708/\sqrt{M}$")
ax.set_xlabel("bath size $M$")
ax.set_ylabel(r"$\langle x^2\rangle/a^2$ at $T_c$")
ax.legend()
plotting.finish_figure(snakemake, fig, __file__)
tio.finish_job(snakemake)
