"""Shared figure style and the one way a figure script saves its figure and provenance.

Figure scripts only load computed arrays and plot (style.md §12); they end with
:func:`finish_figure`, which writes the vector PDF and the provenance record of the figure.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from thermodiff.io import save_figure  # noqa: E402
from thermodiff.provenance import write_job_record  # noqa: E402

STYLE = Path(__file__).with_name("thermodiff.mplstyle")
CRITICAL_STYLE = {"color": "0.4", "linestyle": ":", "linewidth": 1.0}


def use_style() -> None:
    """Activate the project's matplotlib style."""
    plt.style.use(STYLE)


def mark_critical(ax, value: float, label: str | None = None, axis: str = "x") -> None:
    """Draw a critical value (T_c, t_c) as a dotted line, the same way in every figure."""
    line = ax.axvline if axis == "x" else ax.axhline
    line(value, label=label, **CRITICAL_STYLE)


def finish_figure(smk, fig, script: str | os.PathLike) -> None:
    """Save ``fig`` to ``output.figure`` and its provenance to ``output.provenance``."""
    save_figure(fig, smk.output.figure)
    plt.close(fig)
    write_job_record(smk, script, smk.output.provenance, outputs=[smk.output.figure])
