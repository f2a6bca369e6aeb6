#!/usr/bin/env python3
"""Checks `iqp export` against Qiskit (run by Tests/IntegrationTests/QiskitExportTests.swift).

Usage: check_export.py MANIFEST.json

The manifest lists cases, each with a model file, its exported OpenQASM file (3 or 2), the
exact probabilities of iqp's sampler (ExactIQPSimulator, one per line, outcome x with
qubit i = bit i), the reference amplitudes (gate by gate from the definition exp(i theta X_g);
"re im" per line) and shots drawn by `iqp sample` (CSV, column i = qubit i). For every case:

1. the file loads with qiskit.qasm3.loads (qiskit-qasm3-import) or qiskit.qasm2.loads;
2. the gate counts and depths in its header equal Qiskit's count_ops() and depth();
3. Aer's statevector equals the exact probabilities to <= 1e-10 and the reference amplitudes
   up to a global phase to <= 1e-10 (this sees the sign of every angle);
4. Aer's shots of the measured circuit (count keys read as binary: c[n-1]...c[0]) pass a
   chi-squared test against the exact probabilities, and iqp's shots against Aer's;
5. the Qiskit snippet of docs/hardware.md builds the same state from the model file.

Exits 1 with one line per failure; prints one line per case.
"""
import json
import re
import sys

import numpy as np
import qiskit.qasm2
import qiskit.qasm3
from qiskit import transpile
from qiskit_aer import AerSimulator
from scipy.stats import chi2

TOLERANCE = 1e-10
P_VALUE_FLOOR = 1e-4
failures = []


def fail(case, message):
    failures.append(f"{case}: {message}")


def chi_squared_p(counts, probabilities):
    """p-value of observed counts against probabilities; bins expecting < 5 shots pooled."""
    shots = counts.sum()
    expected = probabilities * shots
    big = expected >= 5
    stat = float((((counts[big] - expected[big]) ** 2) / expected[big]).sum())
    bins = int(big.sum())
    pooled_expected, pooled_observed = expected[~big].sum(), counts[~big].sum()
    if pooled_expected >= 1:
        stat += (pooled_observed - pooled_expected) ** 2 / pooled_expected
        bins += 1
    if bins < 2:
        return 1.0
    return float(chi2.sf(stat, bins - 1))


def header_statistics(text):
    """The numbers of the '// gates: ...' and '// with rzz = cx.rz.cx: ...' header lines."""
    gates = re.search(r"^// gates: (.*); depth=(\d+); two-qubit depth=(\d+)$", text, re.M)
    basis = re.search(r"^// with rzz = cx.rz.cx: cx=(\d+); depth=(\d+); two-qubit depth=(\d+)$", text, re.M)
    counts = {k: int(v) for k, v in (item.split("=") for item in gates.group(1).split())}
    return counts, int(gates.group(2)), int(gates.group(3)), [int(x) for x in basis.groups()]


def two_qubit(instruction):
    return instruction.operation.num_qubits == 2


def check_statistics(name, circuit, text):
    counts, depth, two_depth, (cx, basis_depth, basis_two_depth) = header_statistics(text)
    if dict(circuit.count_ops()) != counts:
        fail(name, f"header counts {counts} != Qiskit's {dict(circuit.count_ops())}")
    if (circuit.depth(), circuit.depth(two_qubit)) != (depth, two_depth):
        fail(name, f"header depth {depth}/{two_depth} != Qiskit's {circuit.depth()}/{circuit.depth(two_qubit)}")
    expanded = circuit.decompose(gates_to_decompose=["rzz"])
    got = (expanded.count_ops().get("cx", 0), expanded.depth(), expanded.depth(two_qubit))
    if got != (cx, basis_depth, basis_two_depth):
        fail(name, f"header cx/depth/two-qubit depth {(cx, basis_depth, basis_two_depth)} != Qiskit's {got} with rzz expanded")


def aer_statevector(circuit):
    bare = circuit.remove_final_measurements(inplace=False)
    bare.save_statevector()
    simulator = AerSimulator(method="statevector", precision="double")
    result = simulator.run(transpile(bare, simulator, optimization_level=0)).result()
    return np.asarray(result.get_statevector())


def phase_aligned_error(state, reference):
    overlap = np.vdot(reference, state)
    phase = overlap / abs(overlap)
    return float(np.abs(state - phase * reference).max())


def snippet_function(markdown_path):
    """The function iqp_circuit defined by the python block after '<!-- qiskit-snippet -->'."""
    text = open(markdown_path).read()
    block = re.search(r"<!-- qiskit-snippet -->\s*```python\n(.*?)```", text, re.S)
    namespace = {}
    exec(block.group(1), namespace)
    return namespace["iqp_circuit"]


def check_case(case, iqp_circuit):
    name = case["name"]
    text = open(case["qasm"]).read()
    circuit = qiskit.qasm3.loads(text) if case["format"] == "qasm3" else qiskit.qasm2.loads(text)
    n = circuit.num_qubits
    check_statistics(name, circuit, text)

    exact = np.loadtxt(case["probabilities"], ndmin=1)
    re_im = np.loadtxt(case["amplitudes"], ndmin=2)
    reference = re_im[:, 0] + 1j * re_im[:, 1]
    state = aer_statevector(circuit)
    probability_error = float(np.abs(np.abs(state) ** 2 - exact).max())
    amplitude_error = phase_aligned_error(state, reference)
    if probability_error > TOLERANCE:
        fail(name, f"Aer's probabilities differ from iqp's exact sampler by {probability_error:.2e}")
    if amplitude_error > TOLERANCE:
        fail(name, f"Aer's amplitudes differ from the model's (up to global phase) by {amplitude_error:.2e}")

    simulator = AerSimulator(method="statevector")
    shots = case["aer_shots"]
    run = simulator.run(transpile(circuit, simulator, optimization_level=0), shots=shots, seed_simulator=case["seed"])
    aer_counts = np.zeros(2 ** n)
    for key, count in run.result().get_counts().items():
        aer_counts[int(key.replace(" ", ""), 2)] += count
    p_aer = chi_squared_p(aer_counts, exact)

    rows = np.loadtxt(case["shots"], delimiter=",", dtype=np.int64, ndmin=2)
    iqp_counts = np.bincount(rows @ (1 << np.arange(n)), minlength=2 ** n).astype(float)
    p_iqp = chi_squared_p(iqp_counts, np.abs(state) ** 2)
    if min(p_aer, p_iqp) < P_VALUE_FLOOR:
        fail(name, f"chi-squared p-values {p_aer:.2e} (Aer shots vs exact), {p_iqp:.2e} (iqp shots vs Aer)")

    snippet_error = phase_aligned_error(aer_statevector(iqp_circuit(case["model"])), reference)
    if snippet_error > TOLERANCE:
        fail(name, f"the docs' Qiskit snippet builds another state (error {snippet_error:.2e})")
    ops = dict(circuit.count_ops())
    print(f"{name}: n={n} {ops} depth={circuit.depth()} |p-p_exact|={probability_error:.1e} "
          f"|psi-psi_ref|={amplitude_error:.1e} snippet={snippet_error:.1e} p(chi2)={p_aer:.3f},{p_iqp:.3f}")


def main():
    manifest = json.load(open(sys.argv[1]))
    iqp_circuit = snippet_function(manifest["snippet"])
    for case in manifest["cases"]:
        try:
            check_case(case, iqp_circuit)
        except Exception as error:  # a file Qiskit cannot read is a failure, not a crash
            fail(case["name"], f"{type(error).__name__}: {error}")
    for line in failures:
        print("FAIL " + line)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
