"""Probes of the transition and the closed forms of thermodiff.markers, checked on the exact scores of the two-delta model and the
two-cluster mixture and on a small discrete data set (docs/theory.md §Trained denoisers)."""

import numpy as np
import pytest
import torch
from scipy import stats

from thermodiff import estimators as E
from thermodiff import markers as M
from thermodiff import probes as P
from thermodiff.dynamics import geometric_temperatures, reverse_sde

torch.set_num_threads(1)

TAU_STAR = 0.6630  # docs/theory.md §Critical instability and decisions: decision peak of the two-delta model (a = 1)


def naive_empirical_denoiser(y):
    """Exact denoiser of a finite set: softmax posterior over the points (tests only)."""
    y = torch.as_tensor(np.asarray(y, dtype=float))

    def denoise(x, t):
        logits = -((x[:, None, :] - y[None]) ** 2).sum(-1) / (2.0 * t)
        return torch.softmax(logits, dim=1) @ y

    return denoise


# ---------------------------------------------------------------------------------------------
# Closed forms


def test_mixture_denoiser_without_width_is_the_two_delta_magnetisation():
    mu = torch.tensor([2.0, 0.0, 0.0], dtype=torch.float64)
    x = torch.randn(7, 3, dtype=torch.float64)
    m = P.mixture_denoiser(mu, 0.0)(x, 0.8)
    torch.testing.assert_close(m[:, 0], 2.0 * torch.tanh(2.0 * x[:, 0] / 0.8))
    torch.testing.assert_close(m[:, 1:], torch.zeros(7, 2, dtype=torch.float64))


# ---------------------------------------------------------------------------------------------
# Sampler and estimators on exact scores


def test_exact_score_sampler_reproduces_the_mixture_marginal():
    a, s2, d, n = 3.0, 0.5, 4, 4000
    mu = torch.zeros(d, dtype=torch.float64)
    mu[0] = a
    temps = geometric_temperatures(400.0, 1e-3, 400)
    cov = np.diag([a * a + s2] + [s2] * (d - 1))
    x = P.gaussian_start(np.zeros(d), cov, temps[0], n, torch.Generator().manual_seed(0))
    out = reverse_sde(P.mixture_denoiser(mu, s2), x, temps, P.step_noise(1, x.shape))
    v = s2 + temps[-1]

    def cdf(z):
        return 0.5 * (stats.norm.cdf(z, a, np.sqrt(v)) + stats.norm.cdf(z, -a, np.sqrt(v)))

    assert stats.kstest(out[:, 0].numpy(), cdf).pvalue > 1e-3
    # transverse variance: 12000 squares, standard error 1.3 %; Euler bias ~1 % at 400 steps
    assert out[:, 1:].var().item() == pytest.approx(v, rel=0.05)


@pytest.fixture(scope="module")
def two_delta_branching():
    # 20000 one-dimensional trajectories, exact score a tanh(a x / T), a = 1 (T_c = 1)
    temps = geometric_temperatures(20.0, 1e-3, 200)
    branch = [k for k in range(0, 200, 2) if 0.2 < temps[k] < 2.5]
    x = P.gaussian_start([0.0], [[1.0]], temps[0], 20000, torch.Generator().manual_seed(0))
    mu = torch.tensor([1.0], dtype=torch.float64)
    result = P.branching_probe(
        P.mixture_denoiser(mu, 0.0), x, temps, branch, [1.0],
        P.sign_classifier([1.0], [0.0]), kick=0.5, seed=7,
    )  # fmt: skip
    return result


def _finite_kick_response(temperature, kick):
    # E_{x ~ p_T}[(m(x + delta) - m(x)) / delta], delta = kick sqrt(T): what the CRN estimator
    # measures for an exact score (E[x0 | x_T] = m(x_T)), by Gauss-Hermite quadrature
    z, w = np.polynomial.hermite_e.hermegauss(201)
    w = w / w.sum()
    delta = kick * np.sqrt(temperature)
    total = 0.0
    for centre in (1.0, -1.0):
        x = centre + np.sqrt(temperature) * z
        total += 0.5 * w @ (np.tanh((x + delta) / temperature) - np.tanh(x / temperature))
    return total / delta


def test_crn_response_of_exact_score_is_the_mean_susceptibility(two_delta_branching):
    r = two_delta_branching
    mean = r.response.mean(axis=1)
    se = r.response.std(axis=1, ddof=1) / np.sqrt(r.response.shape[1])
    theory = np.array([_finite_kick_response(t, 0.5) for t in r.temperatures])
    # 26 correlated points, 4 standard errors; Euler bias at 200 steps is below 1 SE (measured)
    assert np.all(np.abs(mean - theory) < 4.0 * se)
    # and the small-kick limit is the susceptibility E[chi] of docs/theory.md §Susceptibility: at and above the
    # peak the kick delta = 0.5 sqrt(T) is small against the width T / a of tanh(a x / T) (bias
    # < 3 %); it is not below T ~ 0.4, where the bias grows like (delta a / T)^2 (~10 % at 0.25)
    upper = r.temperatures >= 0.5
    np.testing.assert_allclose(
        theory[upper], M.mixture_mean_susceptibility(r.temperatures[upper], 1.0), rtol=0.03
    )


def test_crn_response_of_exact_two_delta_score_peaks_at_the_decision_peak(two_delta_branching):
    r = two_delta_branching
    log_t = np.log(r.temperatures)
    peak, se = E.bootstrap(np.random.default_rng(0), lambda v: E.peak(log_t, v), r.response, 100)
    # where the estimator should peak: the finite-kick theory curve, which sits within 7 % of
    # the decision peak T = 0.663 (kick 0.5 smooths the tanh)
    fine = np.exp(np.linspace(np.log(0.3), np.log(1.5), 601))
    expected = fine[np.argmax([_finite_kick_response(t, 0.5) for t in fine])]
    assert expected == pytest.approx(TAU_STAR, rel=0.07)
    spacing = abs(log_t[1] - log_t[0])
    # bootstrap over trajectories (~0.05-0.1 in log T), 3 SE plus half the branch spacing
    assert abs(peak - np.log(expected)) <= 3.0 * se + 0.5 * spacing
    assert se < 0.15  # the peak is resolved: well inside the broken phase, below T_c = 1
    assert np.exp(peak + 3.0 * se) < 1.0


def test_clone_agreement_of_exact_score_matches_theory(two_delta_branching):
    r = two_delta_branching
    phi = r.agreement.mean(axis=1)
    theory = M.mixture_clone_agreement(r.temperatures, 1.0)
    se = np.sqrt(theory * (1.0 - theory) / r.agreement.shape[1])
    assert np.all(np.abs(phi - theory) < 4.0 * se)
    # Biroli's criterion phi = 0.7753 recovers T_c = 1 (interpolation error ~ spacing^2)
    t_cross = E.crossing(r.temperatures, phi, 0.7753, interpolation="log")
    assert t_cross == pytest.approx(1.0, rel=0.05)


def test_final_samples_of_the_branching_probe_split_evenly(two_delta_branching):
    r = two_delta_branching
    assert abs(r.final_class.mean() - 0.5) < 4.0 * 0.5 / np.sqrt(len(r.final_class))
    np.testing.assert_allclose(np.abs(r.final[:, 0]), 1.0, atol=1e-6)  # denoised: on the deltas


def test_jacobian_top_eigenvalue_matches_mixture_closed_form():
    a, s2, d, t = 2.0, 0.3, 6, 1.7
    mu = torch.zeros(d, dtype=torch.float64)
    mu[2] = a
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(16, d, generator=gen, dtype=torch.float64)
    x[:, 2] = torch.linspace(-1.0, 1.0, 16)  # near the decision plane: a gap above s2 / v
    den = P.mixture_denoiser(mu, s2)
    v = s2 + t
    # chi = s2/v I + T a^2 sech^2(mu.x / v) / v^2 e e^T: top eigenvalue along e = mu / a
    expected = s2 / v + t * a * a / v**2 / torch.cosh(x @ mu / v) ** 2
    top = P.jacobian_top_eigenvalue(den, x, t, generator=torch.Generator().manual_seed(1))
    torch.testing.assert_close(top, expected, rtol=1e-5, atol=1e-6)
    along = P.directional_susceptibility(den, x, t, (mu / a).numpy())
    torch.testing.assert_close(along, expected, rtol=1e-5, atol=1e-6)


def test_noise_and_regenerate_decides_class_before_identity():
    # two classes (+-2 e_1), four images each (+-0.4 offsets on e_2, e_3): the class splits at
    # T ~ 4, the images within a class at T ~ 0.16 (docs/theory.md §Trained denoisers)
    offsets = np.array([[0.4, 0.4], [0.4, -0.4], [-0.4, 0.4], [-0.4, -0.4]])
    y = np.array([[s * 2.0, *o] for s in (1, -1) for o in offsets])
    labels = np.array([1] * 4 + [0] * 4)
    train = torch.as_tensor(y)
    temps = geometric_temperatures(100.0, 1e-3, 150)
    starts = [int(np.argmin(np.abs(temps - t))) for t in (0.003, 0.4, 0.6, 40.0)]
    y0 = train.repeat(50, 1)
    out = P.noise_and_regenerate(
        naive_empirical_denoiser(y), y0, temps, starts,
        P.nearest_neighbour_classifier(y, labels), train, seed=0,
    )  # fmt: skip
    cls, ident = out["class_kept"].mean(axis=1), out["identity_kept"].mean(axis=1)
    assert cls[0] == 1.0 and ident[0] == 1.0  # tiny noise: nothing changes
    assert cls[1] > 0.98 and ident[1] < 0.8  # below the class split, above the image split
    assert 0.3 < cls[3] < 0.7  # far above both: a fresh draw
    assert np.all(ident <= cls)


def test_memorization_fraction_detects_copies():
    rng = np.random.default_rng(0)
    train = rng.standard_normal((20, 16))
    copies = train[rng.integers(0, 20, 50)] + 1e-3 * rng.standard_normal((50, 16))
    fresh = rng.standard_normal((50, 16))
    assert P.memorization_fraction(copies, train)[0] == 1.0
    assert P.memorization_fraction(fresh, train)[0] == 0.0
    with pytest.raises(ValueError):
        P.memorization_fraction(fresh, train[:1])


def test_step_noise_depends_only_on_seed_and_step():
    a, b = P.step_noise(3, (4, 2)), P.step_noise(3, (4, 2))
    torch.testing.assert_close(a(17), b(17))
    assert not torch.equal(a(17), a(18)) and not torch.equal(a(17), P.step_noise(4, (4, 2))(17))
