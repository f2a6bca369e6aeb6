"""The library computes without the GIL, follows IQP_NUM_THREADS, and turns every bad input into
an IQPError with the CLI's message instead of ending the interpreter."""
import json
import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import iqp
import iqp.gen_qml as gen
from iqp.utils import local_gates


def test_other_python_threads_run_during_a_call():
    n = 40
    circuit = iqp.IqpSimulator(n, local_gates(n, 2))
    theta = np.full(circuit.n_gates, 0.05)
    ops = np.random.default_rng(0).integers(0, 2, (2000, n))
    inside = threading.Event()
    done = threading.Event()

    def work():
        inside.set()
        circuit.op_expval(theta, ops, 4000, 1)          # one foreign call
        done.set()

    counted = 0
    worker = threading.Thread(target=work)
    worker.start()
    inside.wait()
    while not done.is_set():
        counted += 1                                    # Python bytecode while the call runs
    worker.join()
    assert counted > 1000


def test_iqp_num_threads_changes_no_number(tmp_path):
    script = ("import numpy as np, iqp, iqp.gen_qml as gen\nfrom iqp.utils import local_gates\n"
              "d = np.random.default_rng(0).integers(0, 2, (300, 12))\nc = iqp.IqpSimulator(12, local_gates(12, 2))\n"
              "v, g = gen.mmd_loss_iqp.value_and_grad(np.full(78, 0.1), c, d, 1.0, 300, 300, 4, estimator='dense')\n"
              "print(repr(v), repr(g.sum()))\n")
    outputs = set()
    for threads in ("1", "2"):
        env = dict(os.environ, IQP_NUM_THREADS=threads)
        r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
        assert r.returncode == 0, r.stderr
        outputs.add(r.stdout)
    assert len(outputs) == 1


BAD_CALLS = {
    "gate qubit out of range": (lambda: iqp.IqpSimulator(3, [[[0]], [[1, 5]]]), "gates"),
    "empty generator": (lambda: iqp.IqpSimulator(3, [[[0]], [[]]]), "gates"),
    "negative qubits": (lambda: iqp.IqpSimulator(-2, [[[0]]]), "n_qubits"),
    "wrong params count": (lambda: iqp.IqpSimulator(3, local_gates(3, 1)).probs(np.zeros(2)), "params"),
    "nan params": (lambda: iqp.IqpSimulator(3, local_gates(3, 1)).probs([0.1, np.nan, 0]), "params[1]"),
    "ops not 0/1": (lambda: iqp.IqpSimulator(3, local_gates(3, 1)).op_expval(np.zeros(3), [[0, 2, 1]], 10, 0),
                    "ops[0, 1]"),
    "ops wrong width": (lambda: iqp.IqpSimulator(3, local_gates(3, 1)).op_expval(np.zeros(3), [[0, 1]], 10, 0),
                        "ops"),
    "one sample": (lambda: iqp.IqpSimulator(3, local_gates(3, 1)).op_expval(np.zeros(3), [[0, 1, 1]], 1, 0),
                   "n_samples"),
    "negative seed": (lambda: iqp.IqpSimulator(3, local_gates(3, 1)).op_expval(np.zeros(3), [[0, 1, 1]], 9, -1),
                      "key"),
    "data wrong width": (lambda: gen.mmd_loss_iqp(np.zeros(3), iqp.IqpSimulator(3, local_gates(3, 1)),
                                                  np.zeros((5, 4)), 1.0, 5, 5, 0), "ground_truth"),
    "one data row": (lambda: gen.mmd_loss_iqp(np.zeros(3), iqp.IqpSimulator(3, local_gates(3, 1)),
                                              np.zeros((1, 3)), 1.0, 5, 5, 0), "data"),
    "negative sigma": (lambda: gen.mmd_loss_iqp(np.zeros(3), iqp.IqpSimulator(3, local_gates(3, 1)),
                                                np.zeros((4, 3)), -1.0, 5, 5, 0), "sigma"),
    "no strings": (lambda: gen.mmd_loss_iqp(np.zeros(3), iqp.IqpSimulator(3, local_gates(3, 1)),
                                            np.zeros((4, 3)), 1.0, 0, 5, 0, estimator="dense"), "n_ops"),
    "wire out of range": (lambda: gen.mmd_loss_iqp(np.zeros(3), iqp.IqpSimulator(3, local_gates(3, 1)),
                                                   np.zeros((4, 3)), 1.0, 5, 5, 0, wires=[0, 7]), "wires"),
    "unknown estimator": (lambda: gen.mmd_loss_iqp(np.zeros(3), iqp.IqpSimulator(3, local_gates(3, 1)),
                                                   np.zeros((4, 3)), 1.0, 5, 5, 0, estimator="magic"), "estimator"),
    "huge sample count": (lambda: gen.mmd_loss_iqp(np.zeros(3), iqp.IqpSimulator(3, local_gates(3, 1)),
                                                   np.zeros((4, 3)), 1.0, 5, 10**15, 0, estimator="dense"),
                          "n_samples 1000000000000000 needs"),
    "negative shots": (lambda: iqp.IqpSimulator(3, local_gates(3, 1)).sample(np.zeros(3), shots=-1, key=0), "shots"),
    "probs too large": (lambda: iqp.IqpSimulator(40, local_gates(40, 1)).probs(np.zeros(40)), "n_qubits"),
    "bad dialect": (lambda: iqp.IqpSimulator(3, local_gates(3, 1)).to_qasm(np.zeros(3), dialect="qasm9"), "dialect"),
    "infinite learning rate": (lambda: iqp.Trainer("Adam", gen.mmd_loss_iqp, float("inf")).train(
        3, {"params": np.zeros(3), "iqp_circuit": iqp.IqpSimulator(3, local_gates(3, 1)),
            "ground_truth": np.eye(3), "sigma": 1.0, "n_ops": 5, "n_samples": 5}), "stepsize"),
}


@pytest.mark.parametrize("name", sorted(BAD_CALLS))
def test_bad_input_raises_iqp_error_naming_the_field(name):
    call, field = BAD_CALLS[name]
    with pytest.raises(iqp.IQPError) as raised:
        call()
    # The package's own checks name the argument as a field; the library's settings are named
    # as IQPopt's arguments, `stepsize: …` where `iqp train` says `--lr: …` (PythonFieldNames).
    assert f"field '{field}" in str(raised.value) or str(raised.value).startswith(field), str(raised.value)
    assert "\n" not in str(raised.value)


def test_errors_have_the_cli_messages(run_iqp, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # A model file with a bad gate: `iqp sample` and IqpSimulator.load print the same line.
    json.dump({"n_qubits": 3, "gates": [[[0]], [[1, 3]]], "params": [0.1, 0.2]}, open(tmp_path / "bad.json", "w"))
    r = run_iqp("sample", "--model", "bad.json", "--shots", 5, "--out", "s.csv", check=False)
    assert r.returncode == 1
    cli = r.stderr.strip().splitlines()[-1].removeprefix("iqp: error: ")
    with pytest.raises(iqp.IQPError) as raised:
        iqp.IqpSimulator.load("bad.json")
    assert str(raised.value) == cli
    # A wire the loss refuses: `iqp train` and mmd_loss_iqp say the same, naming the setting as
    # each names it (`--wires` and `wires`).
    np.savetxt(tmp_path / "d.csv", np.eye(3, dtype=int), fmt="%d", delimiter=",")
    r = run_iqp("train", "--data", "d.csv", "--wires", "0,5", "--steps", 1, "--out", "m.json", check=False)
    cli = r.stderr.strip().splitlines()[-1].removeprefix("iqp: error: ")
    with pytest.raises(iqp.IQPError) as raised:
        gen.mmd_loss_iqp(np.zeros(6), iqp.IqpSimulator(3, local_gates(3, 2)), np.eye(3), 1.0, 5, 5, 0, wires=[0, 5])
    assert cli.startswith("--wires: ")
    assert str(raised.value) == cli.removeprefix("--")
