"""Datasets of the paper's examples, built from parameters and an explicit random generator.

Conventions: points are rows, ``y`` of shape (N, d). Digits are scikit-learn's bundled 8x8
images (values 0-16), divided by ``pixel_scale`` and centred (docs/theory.md §Discrete data and digits).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray


def two_delta(a: float, d: int = 1) -> NDArray[np.float64]:
    """The two points +-a e_1 in d dimensions, shape (2, d)."""
    y = np.zeros((2, d))
    y[:, 0] = [a, -a]
    return y


def factorized_four_point(a: float, b: float) -> NDArray[np.float64]:
    """The four points (+-a, +-b), shape (4, 2): transitions at T = a**2 and T = b**2."""
    return np.array([[a, b], [a, -b], [-a, b], [-a, -b]], dtype=float)


def sphere_samples(
    n_samples: int, d: int, radius: float, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Uniform samples on the sphere of ``radius`` in R^d (normalised Gaussians), shape (n, d)."""
    z = rng.standard_normal((n_samples, d))
    return radius * z / np.linalg.norm(z, axis=1, keepdims=True)


def gaussian_patterns(
    n_samples: int, d: int, variance: float, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Isotropic Gaussian patterns y ~ N(0, variance I_d), shape (n, d) (docs/theory.md §Random energy model and memorization)."""
    return np.sqrt(variance) * rng.standard_normal((n_samples, d))


def binary_patterns(n_samples: int, d: int, rng: np.random.Generator) -> NDArray[np.float64]:
    """Uniform random hypercube vertices y in {-1, +1}^d, shape (n, d) (docs/theory.md §Random energy model and memorization)."""
    return 2.0 * rng.integers(0, 2, size=(n_samples, d)).astype(np.float64) - 1.0


def digits_csv_path() -> Path:
    """Location of scikit-learn's bundled ``digits.csv.gz`` (1797 images, 8x8, values 0-16)."""
    import sklearn.datasets

    return Path(sklearn.datasets.__file__).parent / "data" / "digits.csv.gz"


def load_digits_raw() -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Raw digits as (images (1797, 64) in 0..16, labels (1797,)) from the bundled file."""
    raw = np.loadtxt(digits_csv_path(), delimiter=",")
    return raw[:, :-1], raw[:, -1].astype(np.int64)


def scale_and_centre(
    images: NDArray, pixel_scale: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(images / pixel_scale - mean, mean): centred data and the mean that was removed."""
    scaled = np.asarray(images, dtype=float) / pixel_scale
    mean = scaled.mean(axis=0)
    return scaled - mean, mean


def symmetrise(y: NDArray) -> NDArray[np.float64]:
    """D ∪ -D, shape (2N, d): data with an exact y -> -y symmetry (a sharp transition)."""
    return np.concatenate([y, -y], axis=0)


# ---------------------------------------------------------------------------------------------
# Synthetic builders used by the data stage: (params, rng) -> {array name: array}


def rng_for(seed: int, *keys: float) -> np.random.Generator:
    """Independent generator for one dataset: seeded by ``seed`` and the dataset's own keys
    (a dimension, a coupling), so adding a dimension to the config never changes the others."""
    return np.random.default_rng([int(seed), *(int(round(k * 1_000_000)) for k in keys)])


def _build_two_delta(p: dict, rng: np.random.Generator) -> dict[str, NDArray]:
    return {"y": two_delta(p["a"])}


def _build_four_point(p: dict, rng: np.random.Generator) -> dict[str, NDArray]:
    return {"y": factorized_four_point(p["a"], p["b"])}


def _build_sphere(p: dict, rng: np.random.Generator) -> dict[str, NDArray]:
    return {"y": sphere_samples(p["n_samples"], p["d"], p["radius"], rng)}


def _build_curie_weiss(p: dict, rng: np.random.Generator) -> dict[str, NDArray]:
    from thermodiff.ising import sample_curie_weiss

    return {"y": sample_curie_weiss(p["d"], p["coupling"], p["n_samples"], rng)}


def _build_gaussian(p: dict, rng: np.random.Generator) -> dict[str, NDArray]:
    return {"y": gaussian_patterns(p["n_samples"], p["d"], p["variance"], rng)}


def _build_binary(p: dict, rng: np.random.Generator) -> dict[str, NDArray]:
    return {"y": binary_patterns(p["n_samples"], p["d"], rng)}


def two_cluster(
    n_samples: int, d: int, separation: float, variance: float, rng: np.random.Generator
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.float64]]:
    """Symmetric two-cluster mixture (N(mu, s^2 I) + N(-mu, s^2 I)) / 2 in d dimensions.

    ``mu = separation * (1, ..., 1) / sqrt(d)`` (a dense direction, ``|mu| = separation``); the
    top covariance eigenvalue is ``separation**2 + variance``. Returns (y (n, d), labels (n,) with
    1 for the +mu cluster, mu (d,)) (docs/theory.md §Trained denoisers).
    """
    mu = np.full(d, separation / np.sqrt(d))
    labels = rng.integers(0, 2, n_samples)
    y = (2 * labels - 1)[:, None] * mu + np.sqrt(variance) * rng.standard_normal((n_samples, d))
    return y, labels, mu


def _build_two_cluster(p: dict, rng: np.random.Generator) -> dict[str, NDArray]:
    y, labels, mu = two_cluster(p["n_samples"], p["d"], p["separation"], p["variance"], rng)
    return {"y": y, "labels": labels, "mu": mu}


def _build_simplex(p: dict, rng: np.random.Generator) -> dict[str, NDArray]:
    from thermodiff.simplex import simplex_radius, simplex_vertices

    q = int(p["q"])
    return {"y": simplex_vertices(q, simplex_radius(q, p["lambda_max"]))}


SYNTHETIC = {
    "two_delta": _build_two_delta,
    "four_point": _build_four_point,
    "sphere": _build_sphere,
    "curie_weiss": _build_curie_weiss,
    "rem_gaussian": _build_gaussian,
    "rem_binary": _build_binary,
    "two_cluster": _build_two_cluster,
    "simplex": _build_simplex,
}
"""Builders of the synthetic datasets, keyed by dataset name."""


def build_synthetic(name: str, params: dict, seed: int | None, keys=()) -> dict[str, NDArray]:
    """Arrays of synthetic dataset ``name`` (see :data:`SYNTHETIC`)."""
    rng = rng_for(seed if seed is not None else 0, *keys)
    return SYNTHETIC[name](params, rng)
