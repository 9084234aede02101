"""Diffused Curie-Weiss data (paper §5.4): homogeneous fixed point and the generative T_c."""

from thermodiff import io as tio
from thermodiff.stages.meanfield import ising

log = tio.start_job(snakemake)
p = snakemake.params
arrays, summary = ising.diffused_ising_solution(
    tio.load_dataset(snakemake.input.data)["y"],
    p.coupling,
    p.extrapolation_dims,
    p.finite_dims,
    (p.t_min, p.t_max, p.n),
)
log.info("b0J=%(coupling)g: T_c(inf) %(predicted)g, extrapolated %(measured).10g", summary)
log.info("data d=%(data_d)d: empirical T_c %(empirical_tc).4f", summary)
tio.save_npz(snakemake.output.path, **arrays)
tio.write_json(snakemake.output.summary, summary)
tio.finish_job(snakemake)
