"""Hypersphere (paper §5.3): order parameter, Landau form, susceptibilities, heat capacity."""

from thermodiff import io as tio
from thermodiff.stages.meanfield import sphere

log = tio.start_job(snakemake)
p = snakemake.params
d, r = int(p.d), float(p.radius)
arrays, summary = sphere.sphere_solution(
    d, r, (p.t_min, p.t_max, p.n), p.heat_capacity_window, p.reduced_window
)
log.info("d=%d r=%g: T_c %g located %.12g", d, r, summary["predicted"], summary["measured"])
log.info("jump %.6f; beta %.5f", summary["heat_capacity"]["jump"], summary["beta"]["slope"])
tio.save_npz(snakemake.output.path, **arrays)
tio.write_json(snakemake.output.summary, summary)
tio.finish_job(snakemake)
