"""Trainer: the same parameters as `iqp train` to 1e-12, validation and convergence, Ctrl-C."""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import iqp
import iqp.gen_qml as gen
from iqp.utils import local_gates
from conftest import correlated


@pytest.mark.parametrize("estimator", ["dense", "fast", "exact"])
def test_trained_model_equals_iqp_train(run_iqp, tmp_path, estimator):
    n = 6
    data = correlated(300, n, seed=4)
    np.savetxt(tmp_path / "train.csv", data, fmt="%d", delimiter=",")
    gates = local_gates(n, 2)
    init = np.random.default_rng(1).normal(0, 0.3, len(gates))
    json.dump(init.tolist(), open(tmp_path / "init.json", "w"))
    json.dump(gates, open(tmp_path / "gates.json", "w"))
    run_iqp("train", "--data", "train.csv", "--gates-file", "gates.json", "--init-params", "init.json",
            "--sigma", "0.9,1.6", "--ops", 40, "--samples", 30, "--estimator", estimator, "--steps", 25,
            "--lr", 0.05, "--seed", 3, "--eval-ops", 0, "--quiet", "--out", "model.json", "--log", "loss.csv")
    cli = json.load(open(tmp_path / "model.json"))
    circuit = iqp.IqpSimulator(n, gates)
    trainer = iqp.Trainer("Adam", gen.mmd_loss_iqp, stepsize=0.05)
    trainer.train(25, {"params": init, "iqp_circuit": circuit, "ground_truth": data, "sigma": [0.9, 1.6],
                       "n_ops": 40, "n_samples": 30, "key": 3, "estimator": estimator})
    np.testing.assert_allclose(trainer.final_params, cli["params"], rtol=0, atol=1e-12)
    log = np.genfromtxt(tmp_path / "loss.csv", delimiter=",", names=True)
    np.testing.assert_allclose(trainer.losses, log["loss"], rtol=0, atol=1e-12)
    assert trainer.estimator == estimator and not trainer.stopped


def test_validation_loss_and_convergence(data5):
    circuit = iqp.IqpSimulator(5, local_gates(5, 2))
    held = correlated(200, 5, seed=9)
    start = np.random.default_rng(5).normal(0, 0.3, 15)
    kwargs = {"params": start, "iqp_circuit": circuit, "ground_truth": data5, "sigma": 1.0,
              "n_ops": 30, "n_samples": 30, "key": 2, "estimator": "dense"}
    trainer = iqp.Trainer("Adam", gen.mmd_loss_iqp, 0.05)
    trainer.train(400, kwargs, val_kwargs={"ground_truth": held}, convergence_interval=20)
    assert trainer.converged and len(trainer.losses) < 400
    assert np.isfinite(trainer.val_losses).all() and len(trainer.val_losses) == len(trainer.losses)
    exact = gen.mmd_loss_iqp(trainer.final_params, circuit, held, 1.0, 10, 10, 0, estimator="exact")
    assert exact < gen.mmd_loss_iqp(start, circuit, held, 1.0, 10, 10, 0, estimator="exact")


def test_ctrl_c_stops_training_at_a_step_boundary(tmp_path):
    script = tmp_path / "long.py"
    script.write_text(textwrap.dedent("""
        import signal, sys
        signal.signal(signal.SIGINT, signal.default_int_handler)   # even when started with SIGINT ignored
        import numpy as np
        import iqp, iqp.gen_qml as gen
        from iqp.utils import local_gates
        data = np.random.default_rng(0).integers(0, 2, (100, 16))
        circuit = iqp.IqpSimulator(16, local_gates(16, 2))
        trainer = iqp.Trainer("Adam", gen.mmd_loss_iqp, 0.01)
        print("training", flush=True)
        trainer.train(10**6, {"params": np.zeros(136), "iqp_circuit": circuit, "ground_truth": data,
                              "sigma": 1.0, "n_ops": 500, "n_samples": 500, "estimator": "dense"})
        assert trainer.stopped and 0 < len(trainer.losses) < 10**6
        assert np.isfinite(trainer.final_params).all() and np.isfinite(trainer.losses).all()
        print("stopped after", len(trainer.losses), flush=True)
    """))
    child = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "training"
    time.sleep(1.5)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert "stopped after" in out and "Ctrl-C" in err


def test_unsupported_options_say_so(data5):
    circuit = iqp.IqpSimulator(5, local_gates(5, 2))
    with pytest.raises(NotImplementedError):
        iqp.Trainer("BFGS", gen.mmd_loss_iqp, 0.1)
    with pytest.raises(NotImplementedError):
        iqp.Trainer("Adam", lambda params: 0.0, 0.1)
    with pytest.raises(iqp.IQPError, match="field 'loss_kwargs': needs n_ops"):
        iqp.Trainer("Adam", gen.mmd_loss_iqp, 0.1).train(3, {"params": np.zeros(15), "iqp_circuit": circuit,
                                                              "ground_truth": data5, "sigma": 1.0, "n_samples": 4})
