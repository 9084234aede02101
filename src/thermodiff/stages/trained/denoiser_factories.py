"""The denoisers a probe runs on a training set: the exact score or a trained model, and the
class rule of the set. Torch is imported inside the functions (light imports for other jobs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # torch-based modules are imported inside the functions that use them, so that
    from thermodiff import probes  # a job that only builds training sets stays light


def classifier_for(train: dict[str, Any]) -> probes.Classifier:
    """The class rule of a training set: midplane side (two classes) or 1-NN label."""
    from thermodiff import probes

    if train["classifier"] == "sign":
        return probes.sign_classifier(train["direction"], train["centre"])
    return probes.nearest_neighbour_classifier(train["y"], train["labels"])


def exact_denoiser(train: dict[str, Any]) -> probes.Denoiser:
    """Exact score of a training set: analytic for the mixture, the empirical posterior mean else.

    The mixture's exact denoiser is that of the population ``(N(mu, s2 I) + N(-mu, s2 I)) / 2``
    the training points were drawn from; a finite set's is :class:`thermodiff.denoisers.
    EmpiricalDenoiser` (docs/theory.md §Free energy and order parameter), which memorises by construction.
    """
    import torch

    from thermodiff import probes

    if "mu" in train:
        return probes.mixture_denoiser(
            torch.as_tensor(train["mu"]), float(train["mixture_variance"])
        )
    from thermodiff.denoisers import EmpiricalDenoiser

    return EmpiricalDenoiser(train["y"])


def score_denoiser(
    score: str, train: dict[str, Any], model_path: str | None, device: str = "cpu"
) -> probes.Denoiser:
    """``score == "exact"``: :func:`exact_denoiser`; otherwise the trained model at ``model_path``."""
    if score == "exact":
        return exact_denoiser(train)
    from thermodiff.models import as_denoiser
    from thermodiff.training import load_model

    model, _ = load_model(model_path, device)
    return as_denoiser(model)
