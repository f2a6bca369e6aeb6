"""mmd_loss_iqp and its gradient: the exact loss equals the brute-force MMD² over all strings, the
Monte Carlo loss averages to it, and both gradients equal finite differences of their losses."""
import numpy as np
import pytest

import brute_force
import iqp
import iqp.gen_qml as gen
from iqp.utils import local_gates

N = 5
GATES = local_gates(N, 2)


@pytest.fixture
def setup(data5):
    circuit = iqp.IqpSimulator(N, GATES)
    theta = np.random.default_rng(3).normal(0, 0.4, len(GATES))
    return circuit, theta, data5


@pytest.mark.parametrize("sigma,wires", [(1.0, None), ([0.7, 2.0], None), (1.3, [0, 2, 3])])
def test_exact_loss_is_the_brute_force_mmd2(setup, sigma, wires):
    circuit, theta, data = setup
    loss = gen.mmd_loss_iqp(theta, circuit, data, sigma, 10, 10, 0, wires=wires, estimator="exact")
    p = brute_force.probabilities(N, GATES, theta)
    assert loss == pytest.approx(brute_force.mmd_loss(p, N, data, sigma, wires), abs=1e-12)


@pytest.mark.parametrize("estimator", ["exact", "dense", "fast"])
def test_gradient_equals_finite_differences(setup, estimator):
    circuit, theta, data = setup
    args = dict(iqp_circuit=circuit, ground_truth=data, sigma=[0.8, 1.5], n_ops=40, n_samples=30, key=11,
                estimator=estimator, step=3)
    value, grad = gen.mmd_loss_iqp.value_and_grad(theta, **args)
    assert value == gen.mmd_loss_iqp(theta, **args)
    h = 1e-5
    for k in range(0, len(theta), 3):
        e = np.zeros_like(theta)
        e[k] = h
        fd = (gen.mmd_loss_iqp(theta + e, **args) - gen.mmd_loss_iqp(theta - e, **args)) / (2 * h)
        assert grad[k] == pytest.approx(fd, abs=1e-7), (k, estimator)


def test_monte_carlo_loss_averages_to_the_exact_loss(setup):
    circuit, theta, data = setup
    exact = gen.mmd_loss_iqp(theta, circuit, data, 1.0, 10, 10, 0, estimator="exact")
    draws = np.array([gen.mmd_loss_iqp(theta, circuit, data, 1.0, 200, 200, 5, estimator="dense", step=t)
                      for t in range(30)])
    assert abs(draws.mean() - exact) < 5 * draws.std(ddof=1) / np.sqrt(len(draws)) + 1e-12
    assert draws.std() > 0                      # the steps draw different strings and samples


def test_same_key_and_step_same_loss_and_auto_takes_the_exact_path(setup):
    circuit, theta, data = setup
    a = gen.mmd_loss_iqp(theta, circuit, data, 1.0, 50, 50, 7, estimator="dense")
    b = gen.mmd_loss_iqp(theta, circuit, data, 1.0, 50, 50, 7, estimator="dense")
    assert a == b
    assert gen.mmd_loss_iqp(theta, circuit, data, 1.0, 50, 50, 8, estimator="dense") != a
    exact = gen.mmd_loss_iqp(theta, circuit, data, 1.0, 50, 50, 7, estimator="exact")
    assert gen.mmd_loss_iqp(theta, circuit, data, 1.0, 50, 50, 7) == exact      # auto at n = 5


def test_init_gates_take_no_gradient(data5):
    init_gates, coefs = [[[0, 4]]], [0.3]
    circuit = iqp.IqpSimulator(N, GATES, init_gates=init_gates)
    theta = np.full(len(GATES), 0.1)
    value, grad = gen.mmd_loss_iqp.value_and_grad(theta, circuit, data5, 1.0, 10, 10, 0, init_coefs=coefs,
                                                  estimator="exact")
    assert grad.shape == (len(GATES),)
    p = brute_force.probabilities(N, GATES + init_gates, list(theta) + coefs)
    assert value == pytest.approx(brute_force.mmd_loss(p, N, data5, 1.0), abs=1e-12)


def test_heuristics_follow_iqpopt(data5):
    x = data5[:60].astype(float)
    pairs = [np.sqrt(((a - b) ** 2).sum()) for a in x for b in x]
    assert gen.median_heuristic(x) == pytest.approx(np.median(pairs), abs=1e-12)
    sigmas = gen.sigma_heuristic(np.random.default_rng(0).integers(0, 2, (100, 12)), 3)
    assert len(sigmas) == 3 and sigmas[0] == pytest.approx(np.sqrt(-1 / (2 * np.log(1 - 4 / 12))))
