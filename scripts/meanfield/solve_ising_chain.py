"""Lattice (1-D periodic Ising chain) data (paper §5.4): generative T_c = S(k = 0)."""

from thermodiff import io as tio
from thermodiff.stages.meanfield import ising

log = tio.start_job(snakemake)
p = snakemake.params
summary = ising.ising_chain_summary(p.coupling, p.lengths)
log.info(
    "chain b0J=%g: exp(2 b0J) = %.10g; finite L %s",
    p.coupling,
    summary["predicted"],
    summary["finite"],
)
tio.write_json(snakemake.output.summary, summary)
tio.finish_job(snakemake)
