"""The HTML report: figures by stage with captions, the claims table, each rule's code and params.

One self-contained, static HTML page (no scripts, images inlined), so it opens anywhere and a
headless browser can check it. :func:`render_report` only assembles text; the rule's script reads
the records, captions and figure images.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

STYLE = """
body { font-family: sans-serif; max-width: 70em; margin: 2em auto; color: #222; }
h2 { border-bottom: 1px solid #ccc; }
figure { margin: 1em 0 2em; }
figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: 0.95em; }
table { border-collapse: collapse; font-size: 0.85em; }
td, th { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; }
.failed { color: #b00; font-weight: bold; }
pre { background: #f6f6f6; padding: 0.5em; overflow-x: auto; font-size: 0.8em; }
"""


def _e(text: Any) -> str:
    return html.escape(str(text))


def render_report(
    title: str,
    figures: Sequence[Mapping[str, Any]],
    claims: Sequence[Mapping[str, str]],
    rules: Sequence[Mapping[str, Any]],
) -> str:
    """HTML text of the report.

    ``figures``: ``{"fig_id", "category", "caption", "image" (a data: URI or path), "script"}``,
    shown grouped by category in order of first appearance; ``claims``: rows of claims.csv;
    ``rules``: ``{"rule", "script", "code", "jobs": [{"wildcards", "params", "config_keys"}]}``.
    """
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        '<nav><a href="#figures">Figures</a> | <a href="#claims">Claims</a> | '
        '<a href="#rules">Rules</a></nav>',
        '<section id="figures"><h2>Figures</h2>',
    ]
    categories: dict[str, list[Mapping[str, Any]]] = {}
    for figure in figures:
        categories.setdefault(figure["category"], []).append(figure)
    for category, members in categories.items():
        out.append(f'<section class="category"><h3>{_e(category)}</h3>')
        for fig in members:
            out.append(
                f'<figure id="{_e(fig["fig_id"])}" class="figure">'
                f'<img src="{_e(fig["image"])}" alt="{_e(fig["fig_id"])}">'
                f"<figcaption><b>{_e(fig['fig_id'])}</b>: {_e(fig['caption'])} "
                f"<i>Script:</i> <code>{_e(fig['script'])}</code></figcaption></figure>"
            )
        out.append("</section>")
    out.append("</section>")
    out.append(f'<section id="claims"><h2>Claims ({len(claims)})</h2>')
    if claims:
        columns = list(claims[0])
        out.append("<table><thead><tr>" + "".join(f"<th>{_e(c)}</th>" for c in columns))
        out.append("</tr></thead><tbody>")
        for row in claims:
            css = "" if row.get("passed", "True") == "True" else ' class="failed"'
            out.append(f"<tr{css}>" + "".join(f"<td>{_e(row[c])}</td>" for c in columns) + "</tr>")
        out.append("</tbody></table>")
    out.append("</section>")
    out.append('<section id="rules"><h2>Rules: code and params</h2>')
    for rule in rules:
        out.append(f'<section class="rule" id="rule-{_e(rule["rule"])}">')
        out.append(f"<h3>{_e(rule['rule'])}</h3><p><code>{_e(rule['script'])}</code></p>")
        for job in rule["jobs"]:
            label = ", ".join(f"{k}={v}" for k, v in job.get("wildcards", {}).items())
            out.append(
                f"<p>params{' (' + _e(label) + ')' if label else ''}:</p><pre>"
                + _e(json.dumps(job.get("params", {}), indent=1, sort_keys=True))
                + "</pre>"
            )
            if job.get("config_keys"):
                keys = "; ".join(
                    f"{p} &larr; {', '.join(k)}" for p, k in job["config_keys"].items()
                )
                out.append(f"<p>config keys: {_e(keys).replace('&amp;larr;', '&larr;')}</p>")
        out.append(f"<details><summary>code</summary><pre>{_e(rule['code'])}</pre></details>")
        out.append("</section>")
    out.append("</section></body></html>")
    return "\n".join(out) + "\n"
