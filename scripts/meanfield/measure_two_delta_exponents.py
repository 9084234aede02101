"""Critical exponents of the two-delta model (paper §6-7) by log-log fits over configured windows."""

from thermodiff import io as tio
from thermodiff.stages.meanfield import two_delta

log = tio.start_job(snakemake)
p = snakemake.params
t_c = tio.read_json(snakemake.input.critical)["measured"]  # the located bifurcation
arrays, summary = two_delta.two_delta_exponents(
    float(p.a), t_c, p.reduced_window, p.field_window, p.heat_capacity_window, p.n_points
)
slopes = {name: summary[name]["slope"] for name in ("beta", "delta")}
log.info("beta %(beta).5f, 1/delta %(delta).5f", slopes)
log.info("gamma ratio %.5f", summary["gamma_ratio"])
tio.save_npz(snakemake.output.fits, **arrays)
tio.write_json(snakemake.output.summary, summary)
tio.finish_job(snakemake)
