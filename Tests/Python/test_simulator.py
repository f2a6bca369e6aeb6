"""IqpSimulator against the numpy state vector: probabilities, exact and Monte Carlo ⟨Z_a⟩,
shots; and the CLI's `iqp sample --seed` and `iqp expval` give the same numbers."""
import json

import numpy as np
import pytest

import brute_force
import iqp
from iqp.utils import local_gates

N = 5
GATES = local_gates(N, 2) + [[[0, 1, 2], [3, 4]]]       # one gate with two generators
INIT_GATES, INIT_COEFS = [[[1, 3]], [[2]]], [0.4, -0.25]


def params(count, seed=2):
    return np.random.default_rng(seed).normal(0, 0.5, count)


def library_order(p_pennylane, n):
    """PennyLane's order (qubit 0 first) to the brute force's (qubit i in bit i)."""
    return p_pennylane.reshape([2] * n).transpose(range(n - 1, -1, -1)).reshape(-1)


@pytest.mark.parametrize("spin_sym", [False, True])
def test_probs_equal_the_state_vector(spin_sym):
    circuit = iqp.IqpSimulator(N, GATES, spin_sym=spin_sym, init_gates=INIT_GATES)
    theta = params(len(GATES))
    p = circuit.probs(theta, init_coefs=INIT_COEFS)
    reference = brute_force.probabilities(N, GATES + INIT_GATES, list(theta) + INIT_COEFS, spin_sym)
    assert p.shape == (2 ** N,)
    np.testing.assert_allclose(library_order(p, N), reference, atol=1e-12)
    # PennyLane's order: index 1 is the string with only the last qubit set.
    assert p[1] == pytest.approx(reference[1 << (N - 1)], abs=1e-12)


def test_exact_expectations_and_monte_carlo_within_its_error():
    circuit = iqp.IqpSimulator(N, GATES)
    theta = params(len(GATES), seed=5)
    strings = np.array([[1, 0, 0, 0, 0], [1, 1, 0, 0, 0], [0, 1, 0, 1, 1], [1, 1, 1, 1, 1]])
    reference = brute_force.expectations(brute_force.probabilities(N, GATES, theta), N, strings)
    exact, errors = circuit.op_expval(theta, strings, 10, 0, estimator="exact")
    np.testing.assert_allclose(exact, reference, atol=1e-12)
    assert (errors == 0).all()
    mean, stderr = circuit.op_expval(theta, strings, 20000, 7)
    assert (stderr > 0).all() and (stderr < 0.02).all()
    assert (np.abs(mean - reference) < 5 * stderr + 1e-12).all(), (mean, reference, stderr)
    one, one_error = circuit.op_expval(theta, strings[1], 20000, 7)   # a single op: scalars
    assert one == pytest.approx(mean[1]) and one_error == pytest.approx(stderr[1])


def test_jax_style_key_is_its_seed():
    circuit = iqp.IqpSimulator(N, GATES)
    theta = params(len(GATES))
    ops = np.eye(N, dtype=np.uint8)
    a = circuit.op_expval(theta, ops, 100, 42)
    b = circuit.op_expval(theta, ops, 100, np.array([0, 42], dtype=np.uint32))    # jax.random.PRNGKey(42)'s data
    np.testing.assert_array_equal(a[0], b[0])
    assert iqp.keys.seed(np.array([1, 2], dtype=np.uint32)) == (1 << 32) + 2


def test_expval_and_shots_equal_the_cli(run_iqp, tmp_path):
    circuit = iqp.IqpSimulator(N, GATES, init_gates=INIT_GATES)
    theta = params(len(GATES), seed=3)
    circuit.save(tmp_path / "model.json", theta, INIT_COEFS)
    strings = np.array([[1, 0, 1, 0, 0], [0, 1, 1, 1, 0]], dtype=np.uint8)
    np.savetxt(tmp_path / "ops.csv", strings, fmt="%d", delimiter=",")
    run_iqp("expval", "--model", "model.json", "--ops", "ops.csv", "--samples", 500, "--seed", 9, "--out", "e.csv")
    cli = np.genfromtxt(tmp_path / "e.csv", delimiter=",", names=True)
    mean, stderr = circuit.op_expval(theta, strings, 500, 9, init_coefs=INIT_COEFS)
    np.testing.assert_allclose(mean, cli["expval"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(stderr, cli["stderr"], rtol=0, atol=1e-12)
    run_iqp("sample", "--model", "model.json", "--shots", 300, "--seed", 4, "--out", "shots.npy")
    shots = circuit.sample(theta, INIT_COEFS, shots=300, key=4)
    assert shots.shape == (300, N) and shots.dtype == np.uint8
    np.testing.assert_array_equal(shots, np.load(tmp_path / "shots.npy"))


def test_shots_follow_the_probabilities():
    circuit = iqp.IqpSimulator(3, local_gates(3, 2))
    theta = params(6, seed=8)
    shots = circuit.sample(theta, shots=40000, key=1)
    index = (shots * (1 << np.arange(3))).sum(axis=1)
    frequency = np.bincount(index, minlength=8) / len(shots)
    expected = brute_force.probabilities(3, local_gates(3, 2), theta)
    assert np.abs(frequency - expected).max() < 5 * np.sqrt(0.25 / len(shots))


def test_bitflip_expectations_are_its_closed_form():
    gates = local_gates(4, 2)
    circuit = iqp.IqpSimulator(4, gates, bitflip=True)
    theta = params(len(gates), seed=4)
    strings = np.array([[1, 0, 0, 1], [1, 1, 1, 0]])
    mean, _ = circuit.op_expval(theta, strings, 10, 0)
    # Each generator g flips its bits with probability sin²θ: ⟨Z_a⟩ = Π_g cos(2θ_g [a·g odd]).
    for a, value in zip(strings, mean):
        expected = np.prod([np.cos(2 * t) if sum(a[q] for q in gate[0]) % 2 else 1.0
                            for gate, t in zip(gates, theta)])
        assert value == pytest.approx(expected, abs=1e-12)


def test_export_and_model_file_round_trip(tmp_path):
    circuit = iqp.IqpSimulator(3, local_gates(3, 2))
    theta = np.linspace(-0.3, 0.3, 6)
    qasm = circuit.to_qasm(theta)
    assert qasm.startswith("//") or "OPENQASM 3" in qasm
    assert "OPENQASM 2.0" in circuit.to_qasm(theta, dialect="qasm2")
    circuit.save(tmp_path / "m.json", theta)
    again, loaded, coefs = iqp.IqpSimulator.load(tmp_path / "m.json")
    assert json.load(open(tmp_path / "m.json"))["gates"] == local_gates(3, 2)
    np.testing.assert_array_equal(loaded, theta)
    np.testing.assert_allclose(again.probs(loaded), circuit.probs(theta), atol=0)
