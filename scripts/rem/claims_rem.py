"""Claims and quoted values of the rem stage (paper §11)."""

import pandas as pd

from thermodiff import io as tio
from thermodiff.claims import write_claims
from thermodiff.macros import values_tex
from thermodiff.stages.rem import claims, values

tio.start_job(snakemake)
p, inp = snakemake.params, snakemake.input
summaries = {
    name: pd.read_csv(inp[name]).to_dict("records") for name in ("crossings", "onsets")
} | {"runs": pd.read_csv(inp.memorization).to_dict("records"), "digits": tio.load_npz(inp.digits)}
settings = {"error_multiple": p.error_multiple, "width_level": p.settings["width_level"]}
settings |= {"settings": p.settings, "alpha": p.alpha, "memorization": p.memorization}
write_claims(snakemake.output.claims, claims.claims(summaries, settings))
tio.write_text(snakemake.output.values, values_tex(values.values(summaries, settings)))
tio.finish_job(snakemake)
