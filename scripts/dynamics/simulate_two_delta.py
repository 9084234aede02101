"""Two deltas (paper §7-8): equilibrium ensemble, free energy along paths, kicks, slowing down."""

from thermodiff import io as tio
from thermodiff.stages.dynamics import decisions

log = tio.start_job(snakemake)
p = snakemake.params
a = float(p.a)  # data.two_delta.a
summary = decisions.two_delta_summary(a, p.settings, seed=p.seed, n_boot=p.n_bootstrap)
log.info(
    "a=%g: T* %.4g (predicted %.4g) +- %.2g; max KS %.3g (critical %.3g); slowing exponent %.4f",
    a,
    summary["peak"],
    summary["decision_predicted"],
    summary["peak_err"],
    summary["ks"].max(),
    summary["ks_critical"],
    summary["slowing_exponent"],
)
tio.save_npz(snakemake.output.summary, **summary)
tio.finish_job(snakemake)
