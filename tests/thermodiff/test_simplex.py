"""Regular-simplex data: closed forms of the first-order (Potts-like) transition against the
point-data machinery of thermodiff.meanfield."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from thermodiff import meanfield
from thermodiff import simplex as sx


@pytest.mark.parametrize("q", [2, 3, 4, 6])
def test_vertices_form_a_centred_regular_simplex(q):
    r = 1.7
    y = sx.simplex_vertices(q, r)
    assert y.shape == (q, q - 1)
    gram = y @ y.T
    expected = np.full((q, q), -(r**2) / (q - 1))
    np.fill_diagonal(expected, r**2)
    np.testing.assert_allclose(gram, expected, atol=1e-12)
    np.testing.assert_allclose(y.T @ y / q, r**2 / (q - 1) * np.eye(q - 1), atol=1e-12)


def test_q2_is_the_two_delta_model():
    r = 1.3
    y = sx.simplex_vertices(2, r)
    np.testing.assert_allclose(np.sort(y[:, 0]), [-r, r])
    phi, t = np.linspace(0.0, 2.0, 9), 0.7
    np.testing.assert_allclose(
        sx.vertex_free_energy(phi, t, 2, r),
        meanfield.two_delta_free_energy(phi, t, r) - meanfield.two_delta_free_energy(0.0, t, r),
        atol=1e-12,
    )
    t_branch, x_branch = sx.broken_branch(np.array([0.3, 1.0, 4.0]), 2, r)
    np.testing.assert_allclose(
        x_branch, meanfield.two_delta_order_parameter(t_branch, r), rtol=1e-10
    )
    assert sx.instability_temperature(2, r) == sx.transition_temperature(2, r) == r**2
    assert sx.spinodal_temperature(2, r) == r**2
    assert sx.order_parameter_jump(2, r) == 0.0


@pytest.mark.parametrize("q", [3, 4, 5])
def test_vertex_free_energy_is_the_point_data_free_energy(q):
    r, t = np.sqrt(q - 1), 1.1
    y = sx.simplex_vertices(q, r)
    phi = np.linspace(-0.5, 2.0, 11)
    x = phi[:, None] * y[0] / r
    direct = meanfield.free_energy(x, y, t) - meanfield.free_energy(np.zeros((1, q - 1)), y, t)
    np.testing.assert_allclose(sx.vertex_free_energy(phi, t, q, r), direct, atol=1e-12)


@pytest.mark.parametrize("q", [3, 4, 5])
def test_closed_forms_satisfy_the_equation_of_state_and_the_stability_conditions(q):
    r = np.sqrt(q - 1)
    y = sx.simplex_vertices(q, r)
    t1, jump = sx.transition_temperature(q, r), sx.order_parameter_jump(q, r)
    x1 = jump * y[0] / r
    # at T_1 the jump is a fixed point, a local minimum, and degenerate with x = 0
    np.testing.assert_allclose(meanfield.magnetisation(x1, y, t1)[0], x1, atol=1e-12)
    assert meanfield.susceptibility(x1, y, t1)[0].max() < 1.0
    assert np.linalg.eigvalsh(meanfield.susceptibility(x1, y, t1)[0])[-1] < 1.0
    assert sx.vertex_free_energy(jump, t1, q, r) == pytest.approx(0.0, abs=1e-12)
    # at T_sp the branch point has a longitudinal susceptibility of exactly 1
    t_sp = sx.spinodal_temperature(q, r)
    res = minimize_scalar(lambda u: -sx.broken_branch(u, q, r)[0], bounds=(0.05, 8.0),
                          method="bounded", options={"xatol": 1e-10})  # fmt: skip
    t_top, x_top = sx.broken_branch(res.x, q, r)
    assert t_top == pytest.approx(t_sp, rel=1e-12)
    x_sp = x_top * y[0] / r
    assert np.linalg.eigvalsh(meanfield.susceptibility(x_sp, y, t_sp)[0])[-1] == pytest.approx(
        1.0, abs=1e-5
    )
    # order of the temperatures: T_sym < T_1 < T_sp (first order), and the symmetric instability
    # is lambda_max(C)
    assert sx.instability_temperature(q, r) < t1 < t_sp
    assert sx.instability_temperature(q, r) == pytest.approx(
        meanfield.second_moment_top_eigenvalue(y), rel=1e-12
    )


def test_known_potts_numbers():
    # mean-field q = 3 Potts: K_1 = 4 log 2, jump s = 1/2; r^2 = 2 so T_sym = 1
    assert sx.transition_temperature(3, np.sqrt(2)) == pytest.approx(3 / (4 * np.log(2)))
    assert sx.order_parameter_jump(3, 1.0) == pytest.approx(0.5)
    assert sx.transition_temperature(4, np.sqrt(3)) == pytest.approx(4 / (3 * np.log(3)))


@pytest.mark.parametrize("q", [3, 4])
def test_measured_transitions_match_closed_forms(q):
    r = np.sqrt(q - 1)
    m = sx.measure_transitions(sx.simplex_vertices(q, r), 0.5, 1.5, n_starts=12, rel_tol=1e-9)
    assert m.instability == pytest.approx(sx.instability_temperature(q, r), rel=1e-6)
    assert m.spinodal == pytest.approx(sx.spinodal_temperature(q, r), rel=1e-7)
    assert m.transition == pytest.approx(sx.transition_temperature(q, r), rel=1e-7)
    assert m.jump == pytest.approx(sx.order_parameter_jump(q, r), rel=1e-6)
    assert m.vertex_alignment == pytest.approx(1.0, abs=1e-9)


def test_measured_q2_transition_is_continuous():
    m = sx.measure_transitions(sx.simplex_vertices(2, 1.0), 0.5, 1.5, n_starts=4, rel_tol=1e-9)
    for value in (m.instability, m.spinodal, m.transition):
        assert value == pytest.approx(1.0, abs=1e-6)
    assert m.jump < 3e-3  # x* ~ sqrt(3 (1 - T)) at the F-comparison resolution |1 - T| ~ 4e-7


def test_hysteresis_follows_local_stability():
    q = 3
    r = np.sqrt(q - 1)
    y = sx.simplex_vertices(q, r)
    temps = np.linspace(1.3, 0.7, 61)
    cooling, heating = sx.hysteresis(y, temps)
    t_sym, t_sp = sx.instability_temperature(q, r), sx.spinodal_temperature(q, r)
    assert np.all(cooling[temps > t_sym + 1e-9] < 1e-8)  # supercooled symmetric state down to T_sym
    assert np.all(cooling[temps < t_sym - 0.02] > 0.7)
    assert np.all(heating[temps < t_sp - 1e-3] > 0.5)  # superheated broken state up to T_sp
    assert np.all(heating[temps > t_sp + 1e-3] < 1e-8)


def test_generation_from_the_symmetric_point_follows_the_bridge_not_local_stability():
    # q = 3, r = 1: T_sym = 0.5, T_1 = 0.541; from x = 0 at T_0 = 1.5 the exact reverse SDE is a
    # Brownian bridge to a uniformly drawn vertex, mean projection r (1 - T / T_0)
    q, r = 3, 1.0
    y = sx.simplex_vertices(q, r)
    temps = np.geomspace(1.5, 0.005, 301)
    mean, se = sx.generation_order_parameter(y, temps, n_paths=300, seed=3)
    bridge = sx.bridge_order_parameter(temps, temps[0], r)
    assert mean[0] == 0.0 and se[0] == 0.0
    # 4 standard errors plus the Euler-Maruyama bias (local step dT/T ~ 2 %, times r)
    assert np.all(np.abs(mean - bridge) < 4 * se + 0.03)
    # already committed half-way to the jump (0.25) well above T_1 and T_sym
    t1 = sx.transition_temperature(q, r)
    assert mean[np.argmin(np.abs(temps - t1))] > 0.5
    again, _ = sx.generation_order_parameter(y, temps, n_paths=300, seed=3)
    np.testing.assert_array_equal(mean, again)
