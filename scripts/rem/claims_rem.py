"""Claims and quoted values of the rem stage (paper §11)."""

import pandas as pd

from thermodiff import io as tio
from thermodiff import rem
from thermodiff.macros import values_tex

tio.start_job(snakemake)
p, inp = snakemake.params, snakemake.input
crossings = pd.read_csv(inp.crossings).to_dict("records")
onsets = pd.read_csv(inp.onsets).to_dict("records")
runs = pd.read_csv(inp.memorization).to_dict("records")
claims, values = rem.stage_claims(
    crossings,
    onsets,
    runs,
    tio.load_npz(inp.digits),
    tolerance=p.tolerance,
    width_level=p.settings["width_level"],
)
values.update({f"rem.config.{k}": v for k, v in p.settings.items()})
mem = p.memorization
values.update(
    {
        "rem.config.alpha_sweep.alpha": p.alpha,
        "rem.config.memorization.stop_tau": mem["stop_tau"],
        "rem.config.memorization.threshold": mem["nn_ratio_threshold"],
        "rem.config.memorization.n_generated": mem["n_generated"],
        "rem.config.memorization.n_steps": mem["n_steps"],
        "rem.config.memorization.t_max_ratio": mem["t_max_ratio"],
        "rem.config.memorization.t_min_ratio": mem["t_min_ratio"],
    }
)
tio.write_claims(snakemake.output.claims, claims)
tio.write_text(snakemake.output.values, values_tex(values))
