"""utils and the service client: the gate lists and the data initialisation equal `iqp train`'s
(`--gates covariance:K`, `--init data`), the neighbour gates are IQPopt's set, and the service's
shots equal the in-process ones."""
import json
import re
import subprocess

import numpy as np
import pytest

import iqp
from iqp.utils import (gates_from_covariance, initialize_from_data, local_gates, nearest_neighbour_gates,
                       nearest_neighbour_lattice_gates)
from conftest import correlated


def test_local_gates_are_iqpopts():
    assert local_gates(3, 2) == [[[0]], [[1]], [[2]], [[0, 1]], [[0, 2]], [[1, 2]]]
    assert len(local_gates(6, 3)) == 6 + 15 + 20


def test_covariance_gates_and_data_initialisation_equal_iqp_train(run_iqp, tmp_path):
    data = correlated(400, 6, seed=3)
    np.savetxt(tmp_path / "d.csv", data, fmt="%d", delimiter=",")
    run_iqp("train", "--data", "d.csv", "--gates", "covariance:4", "--steps", 0, "--eval-ops", 0, "--quiet",
            "--out", "cov.json")
    model = json.load(open(tmp_path / "cov.json"))
    gates = gates_from_covariance(data, 4)
    assert model["gates"] == gates and len(gates) == 4
    assert gates_from_covariance(data, 4, return_local=True) == local_gates(6, 1) + gates
    run_iqp("train", "--data", "d.csv", "--steps", 0, "--eval-ops", 0, "--quiet", "--out", "init.json")
    model = json.load(open(tmp_path / "init.json"))
    params = initialize_from_data(model["gates"], data)
    np.testing.assert_allclose(params, model["params"], rtol=0, atol=1e-12)
    # θ = arcsin(√mean x_i) for the single-qubit gates (docs/math.md §6).
    np.testing.assert_allclose(params[:6], np.arcsin(np.sqrt(data.mean(axis=0))), atol=1e-12)


def test_neighbour_gates_cover_each_qubit_set_once():
    class Path:                             # 0 - 1 - 2 - 3
        nodes = [0, 1, 2, 3]

        @staticmethod
        def neighbors(node):
            return [m for m in (node - 1, node + 1) if 0 <= m < 4]
    gates = nearest_neighbour_gates(Path, 1, 2)
    assert sorted(sorted(g[0]) for g in gates) == [[0], [0, 1], [1], [1, 2], [2], [2, 3], [3]]
    lattice = nearest_neighbour_lattice_gates(3, 3, 1, 2)
    assert len(lattice) == 9 + 18           # every site and each edge of the periodic 3×3 torus


def test_service_client_shots_equal_in_process(iqp_bin):
    circuit = iqp.IqpSimulator(5, local_gates(5, 2))
    params = np.linspace(-0.4, 0.4, 15)
    server = subprocess.Popen([iqp_bin, "serve", "--port", "0"], stderr=subprocess.PIPE, text=True)
    try:
        url = None
        for line in server.stderr:
            m = re.search(r"listening on (http://\S+)", line)
            if m and line.startswith("iqp serve"):
                url = m.group(1)
                break
        assert url, "iqp serve did not say where it listens"
        shots = iqp.service.SamplerClient(url).sample(circuit, params, 500, key=7)
        np.testing.assert_array_equal(shots, circuit.sample(params, shots=500, key=7))
    finally:
        server.terminate()
        server.wait()
