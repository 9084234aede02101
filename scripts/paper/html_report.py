"""The HTML report (make report): figures by stage with captions, claims, each rule's code/params."""

import base64
import glob
import os
import subprocess
import tempfile
from pathlib import Path

import pandas as pd

from thermodiff import io as tio
from thermodiff.report import render_report

tio.start_job(snakemake)
records = [
    tio.read_json(p) for p in sorted(glob.glob(os.path.join(snakemake.params.jobs, "*.json")))
]


def image(pdf):
    """The first page of a figure as an inline PNG (poppler's pdftoppm)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", pdf, f"{tmp}/p"], check=True)
        return (
            "data:image/png;base64," + base64.b64encode(Path(f"{tmp}/p.png").read_bytes()).decode()
        )


figures = []
for pdf in snakemake.input.figures:
    fig_id = Path(pdf).stem
    caption = Path(snakemake.params.captions, f"{fig_id}.rst")
    figures.append(
        {
            "fig_id": fig_id,
            "category": snakemake.params.categories[fig_id],
            "caption": caption.read_text(encoding="utf-8") if caption.exists() else "",
            "image": image(pdf),
            "script": f"scripts/figures/{fig_id}.py",
        }
    )
rules = {}
for record in sorted(records, key=lambda r: (r["rule"], sorted(r["wildcards"].items()))):
    script = record["script"]["path"]
    entry = rules.setdefault(
        record["rule"],
        {"rule": record["rule"], "script": script, "code": Path(script).read_text(), "jobs": []},
    )
    entry["jobs"].append({k: record.get(k, {}) for k in ("wildcards", "params", "config_keys")})
claims = pd.read_csv(snakemake.input.claims, dtype=str, keep_default_na=False).to_dict("records")
html = render_report("thermodiff: figures, claims and rules", figures, claims, list(rules.values()))
tio.write_text(snakemake.output.html, html)
tio.finish_job(snakemake)
