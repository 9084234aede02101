"""Two deltas (paper §5.1): landscape, pitchfork with biased branches, bifurcation located."""

from thermodiff import io as tio
from thermodiff.stages.meanfield import two_delta

log = tio.start_job(snakemake)
p = snakemake.params
two_delta.check_two_delta_data(tio.load_dataset(snakemake.input.data)["y"], p.a)
landscape, pitchfork, critical = two_delta.two_delta_solution(
    float(p.a), p.temperatures, p.x_max, p.n_grid, p.pitchfork, p.bias_fields
)
log.info("two deltas a=%g: T_c closed form %g, bifurcation located at %.12g", *critical.values())
tio.save_npz(snakemake.output.landscape, **landscape)
tio.save_npz(snakemake.output.pitchfork, **pitchfork)
tio.write_json(snakemake.output.critical, critical)
tio.finish_job(snakemake)
