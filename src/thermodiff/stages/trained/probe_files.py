"""The probe file format: the curves of several scores side by side in one ``.npz``, as
``<score>__<key>`` arrays. Read by the figure scripts; imports nothing heavy."""

from __future__ import annotations

SCORE_SEPARATOR = "__"


def tag_by_score(score: str, curves: dict) -> dict:
    """``{key: array}`` of one score -> ``{'<score>__<key>': array}`` for a shared npz file."""
    return {f"{score}{SCORE_SEPARATOR}{key}": value for key, value in curves.items()}


def split_by_score(arrays: dict) -> dict[str, dict]:
    """Inverse of :func:`tag_by_score`: ``{score: {key: array}}`` from a probe file's arrays."""
    out: dict[str, dict] = {}
    for name, value in arrays.items():
        if SCORE_SEPARATOR in name:
            score, key = name.split(SCORE_SEPARATOR, 1)
            out.setdefault(score, {})[key] = value
    return out
