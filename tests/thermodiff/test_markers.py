"""Closed forms, analytic markers and curve locators of thermodiff.markers (docs/theory.md
§Trained denoisers)."""

import numpy as np
import pytest

from thermodiff import markers as M
from thermodiff.schedules import ou_time_from_temperature

TAU_STAR = 0.6630  # docs/theory.md §Critical instability and decisions: decision peak of the two-delta model (a = 1)


def test_two_delta_susceptibility_and_decision_entropy_peak_at_0663():
    # E_{p_T}[dm/dx] and dH(class | x_T) / dlog T of the two-delta model peak at the same T
    assert M.two_delta_susceptibility_peak() == pytest.approx(TAU_STAR, abs=1e-3)
    log_t = np.linspace(np.log(0.3), np.log(1.5), 4001)
    entropy = M.mixture_class_entropy(np.exp(log_t), 1.0)
    assert np.exp(log_t[np.argmax(np.gradient(entropy, log_t))]) == pytest.approx(
        TAU_STAR, abs=2e-3
    )
    assert M.mixture_class_entropy(1.0, 1.0) == pytest.approx(
        0.356, abs=1e-3
    )  # docs/theory.md §Critical instability and decisions


def test_susceptibility_peak_scales_with_a_squared():
    log_t = np.linspace(np.log(0.5), np.log(5.0), 2001)
    chi = M.mixture_mean_susceptibility(np.exp(log_t), 2.0)
    assert np.exp(log_t[np.argmax(chi)]) / 4.0 == pytest.approx(TAU_STAR, abs=2e-3)


def test_clone_agreement_at_the_critical_point_is_biroli_value():
    # Biroli et al. 2024 read the speciation time off phi = 0.7753; for two deltas phi(T_c = a^2)
    assert M.mixture_clone_agreement(1.0, 1.0) == pytest.approx(0.7753, abs=2e-4)
    assert M.mixture_clone_agreement(9.0, 3.0) == pytest.approx(0.7753, abs=2e-4)
    assert M.mixture_clone_agreement(1e-3, 1.0) == pytest.approx(1.0)
    assert M.mixture_clone_agreement(1e4, 1.0) == pytest.approx(0.5, abs=1e-3)


def test_analytic_markers_of_trained_md_table():
    # docs/theory.md §Trained denoisers: lambda = 1: mean field s = 0.35, drift s = 0.44 (theta_c^2 = sqrt2 - 1);
    # lambda = 4: speciation s = 0.69, mean field 0.81, drift 1.05 (two decimals there)
    one, four = M.analytic_markers(1.0), M.analytic_markers(4.0)
    assert one["T_meanfield"] == 1.0 and one["alpha_bar_meanfield"] == 0.5
    assert one["alpha_bar_drift"] == pytest.approx(np.sqrt(2.0) - 1.0)
    assert one["s_meanfield"] == pytest.approx(0.3466, abs=1e-4)
    assert one["s_drift"] == pytest.approx(0.4407, abs=1e-4)
    assert np.isnan(one["T_speciation"])
    assert four["s_speciation"] == pytest.approx(0.5 * np.log(4.0))
    assert four["s_meanfield"] == pytest.approx(0.8047, abs=1e-4)
    assert four["s_drift"] == pytest.approx(1.05, abs=5e-3)
    assert one["ddpm_step_meanfield"] == pytest.approx(
        259, abs=1
    )  # docs/theory.md §Conventions, ±1 step


def test_covariance_spectrum_and_directions():
    rng = np.random.default_rng(0)
    y = rng.standard_normal((4000, 3)) * np.array([3.0, 1.0, 0.5])
    lam = M.covariance_spectrum(y)
    np.testing.assert_allclose(lam, [9.0, 1.0, 0.25], rtol=0.08)  # 4000 samples: ~2 % errors
    assert abs(M.top_pc_direction(y)[0]) > 0.99
    labels = (y[:, 0] > 0).astype(int)
    u, centre = M.class_mean_direction(y, labels)
    assert u[0] > 0.99 and np.linalg.norm(centre) < 0.2


def test_ou_time_of_markers_is_monotone_in_temperature():
    m = M.analytic_markers(65.0)
    assert m["s_speciation"] < m["s_meanfield"] < m["s_drift"]
    assert m["s_meanfield"] == pytest.approx(float(ou_time_from_temperature(65.0)))


def test_mixture_decision_and_clone_agreement_at_the_mixture_critical_temperature():
    # along mu the mixture at T is the two-delta model at T + s2 (x_par ~ N(+-a, s2 + T)), so the
    # clone agreement at T_c = a^2 - s2 equals the two-delta value at T_c = a^2
    a, s2 = 8.0, 1.0
    phi_c = M.mixture_clone_agreement(1.0, 1.0)
    assert M.mixture_clone_agreement(a * a - s2, a, s2) == pytest.approx(phi_c, abs=1e-10)
    assert M.mixture_clone_agreement(a * a + s2, a, s2) < phi_c - 0.004  # lambda_max is off
    assert M.mixture_decision_temperature(1.0, 0.0) == pytest.approx(
        M.two_delta_susceptibility_peak(), rel=1e-6
    )
    m = M.analytic_markers(65.0, t_c=63.0, t_decision=M.mixture_decision_temperature(a, s2))
    assert m["T_meanfield"] == pytest.approx(63.0)
    assert m["T_decision"] == pytest.approx(40.14, abs=0.05)
    assert m["lambda_max"] == 65.0
