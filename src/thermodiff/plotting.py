"""Shared figure style and the one way a figure script saves its figure and provenance.

Figure scripts only load computed arrays and plot; they end with
:func:`finish_figure`, which writes the vector PDF and the provenance record of the figure (then,
like every script, with ``thermodiff.io.finish_job``).
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from thermodiff.files import save_figure  # noqa: E402
from thermodiff.provenance import write_record  # noqa: E402

STYLE = Path(__file__).with_name("thermodiff.mplstyle")
CRITICAL_STYLE = {"color": "0.4", "linestyle": ":", "linewidth": 1.0}
"""Lines at a critical value (T_c, t_c, N_max): dotted, dark grey."""
GUIDE_STYLE = {"color": "0.6", "linestyle": "-", "linewidth": 0.6}
"""Reference levels that are not critical values (chi = 1, a crossing level, T_min): thin, light."""


def use_style() -> None:
    """Activate the project's matplotlib style."""
    plt.style.use(STYLE)


def _line(ax, value: float, label: str | None, axis: str, style: dict, overrides: dict):
    if axis not in ("x", "y"):
        raise ValueError(f"axis must be 'x' (vertical line) or 'y' (horizontal), got {axis!r}")
    line = ax.axvline if axis == "x" else ax.axhline
    return line(value, label=label, **(style | overrides))


def mark_critical(
    ax, value: float, label: str | None = None, axis: str = "x", **overrides
) -> matplotlib.lines.Line2D:
    """Draw a critical value (T_c, t_c) as a dotted line, the same way in every figure.

    ``axis="x"`` draws a vertical line at ``x = value``, ``"y"`` a horizontal one. ``overrides``
    (``color``, ``linestyle``) only tell several critical values of one panel apart, e.g. one
    per series coloured like its curve, or two predictions as dashed and dotted.
    """
    return _line(ax, value, label, axis, CRITICAL_STYLE, overrides)


def mark_guide(
    ax, value: float, label: str | None = None, axis: str = "y", **overrides
) -> matplotlib.lines.Line2D:
    """Draw a reference level that is not a critical value (chi = 1, a crossing level, T_min).

    Horizontal (``axis="y"``) by default, in :data:`GUIDE_STYLE`; ``overrides`` as in
    :func:`mark_critical`.
    """
    return _line(ax, value, label, axis, GUIDE_STYLE, overrides)


def short_log_ticks(ax, axis: str = "x") -> None:
    """Readable labels on a log axis that spans about a decade or less.

    Matplotlib labels the minor ticks of such an axis (2, 3, ... 9 times a power of ten) in
    scientific notation, and the labels run into each other. Here only 1, 2 and 5 times a power
    of ten are labelled, in plain numbers (``0.2``, ``0.5``, ``1``); the other minor ticks stay,
    unlabelled.
    """
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    target.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    target.set_minor_locator(LogLocator(base=10, subs=tuple(range(1, 10))))
    target.set_minor_formatter(NullFormatter())


def finish_figure(smk, fig, script: str | os.PathLike) -> None:
    """Save ``fig`` to ``output.figure`` and its provenance to ``output.provenance``.

    The figure's record comes from the one record writer, without the per-run fields; the job's
    own record follows from ``thermodiff.io.finish_job``, the script's last line.
    """
    save_figure(fig, smk.output.figure)
    plt.close(fig)
    write_record(smk, smk.output.provenance, [smk.output.figure], script=script, per_run=False)
