"""Brute-force references in numpy for small n (the Python twin of Tests/IQPTestSupport's state
vector): the state of docs/math.md §1 and §8 as a 2ⁿ vector, ⟨Z_a⟩ = Σ_x p(x)(−1)^{a·x}, and the
MMD² loss over all Pauli strings of docs/math.md §10."""
import itertools

import numpy as np


def bit_table(n):
    """Row x: the bits of x, qubit i = bit i."""
    return (np.arange(2 ** n)[:, None] >> np.arange(n)) & 1


def probabilities(n, gates, params, spin_sym=False):
    """p(x) of H^n exp(i Σ_k θ_k Σ_{g ∈ gate k} Z_g) H^n |ψ₀⟩ (= the IQP circuit with X generators),
    ψ₀ = |0…0⟩ or (|0…0⟩ + |1…1⟩)/√2; index x has qubit i in bit i."""
    bits = bit_table(n)
    phase = np.zeros(2 ** n)
    for gate, theta in zip(gates, params):
        for generator in gate:
            phase += theta * (-1.0) ** bits[:, list(generator)].sum(axis=1)
    hadamard = (-1.0) ** ((bits @ bits.T) % 2) / np.sqrt(2 ** n)
    start = np.zeros(2 ** n, dtype=complex)
    if spin_sym:
        start[0] = start[-1] = 1 / np.sqrt(2)
    else:
        start[0] = 1
    state = hadamard @ (np.exp(1j * phase) * (hadamard @ start))
    return np.abs(state) ** 2


def expectations(p, n, strings):
    bits = bit_table(n)
    return np.array([(p * (-1.0) ** ((bits @ np.asarray(a)) % 2)).sum() for a in strings])


def mmd_loss(p, n, data, sigmas, wires=None):
    """L = mean over σ of Σ_a w_σ(a)(⟨Z_a⟩² − 2⟨Z_a⟩t_a + (N t_a² − 1)/(N − 1)) (docs/math.md §10)."""
    wires = list(range(n)) if wires is None else list(wires)
    data = np.asarray(data)
    rows = len(data)
    total = 0.0
    for sigma in np.atleast_1d(sigmas):
        q = (1 - np.exp(-1 / (2 * sigma ** 2))) / 2
        loss = 0.0
        for chosen in itertools.product((0, 1), repeat=len(wires)):
            a = np.zeros(n, dtype=int)
            a[wires] = chosen
            weight = q ** sum(chosen) * (1 - q) ** (len(wires) - sum(chosen))
            z = expectations(p, n, [a])[0]
            t = np.mean((-1.0) ** ((data @ a) % 2))
            loss += weight * (z * z - 2 * z * t + (rows * t * t - 1) / (rows - 1))
        total += loss
    return total / len(np.atleast_1d(sigmas))
