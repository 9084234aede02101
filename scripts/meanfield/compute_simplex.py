"""Regular-simplex data (q vertices): first-order transition, closed forms against the solver."""

from thermodiff import io as tio
from thermodiff.stages.meanfield import simplex

log = tio.start_job(snakemake)
p = snakemake.params
y = tio.load_dataset(snakemake.input.data)["y"]
arrays, summary = simplex.simplex_solution(
    y, int(p.q), p.lambda_max, p.bracket, p.n_starts, p.rel_tol, p.grid, p.generation
)
log.info("simplex q=%(q)d: predicted %(predicted)s, measured %(measured)s", summary)
tio.save_npz(snakemake.output.path, **arrays)
tio.write_json(snakemake.output.summary, summary)
tio.finish_job(snakemake)
