"""IQPopt's README script ("Training for generative machine learning tasks") with only its imports
changed from iqpopt to iqp runs, learns, and its loss is the exact MMD² of its parameters; with
IQPopt importable, IQPopt's own run of the script reaches the same loss within Monte Carlo error."""
import sys
import types

import numpy as np
import pytest

README_SCRIPT = '''
import numpy as np
import matplotlib.pyplot as plt
import {package} as iqp
from {package}.utils import local_gates
import {package}.gen_qml as gen
from {package}.gen_qml.utils import median_heuristic

n_qubits = 10

#toy dataset of low weight bitstrings
X_train = np.random.binomial(1,0.5, size=(1000, n_qubits))
X_train = X_train[np.where(X_train.sum(axis=1)<5)]

gates = local_gates(n_qubits, 2)
circuit = iqp.IqpSimulator(n_qubits, gates)
params_init = np.random.normal(0, 1/np.sqrt(n_qubits), len(gates))

loss = gen.mmd_loss_iqp #MMD loss
sigma = median_heuristic(X_train) #bandwidth for MMD

loss_kwargs = {{
    "params": params_init,
    "iqp_circuit": circuit,
    "ground_truth": X_train,
    "sigma": sigma,
    "n_ops": 1000,
    "n_samples": 1000,
}}

trainer = iqp.Trainer("Adam", loss, stepsize=0.01)
trainer.train(n_iters=500, loss_kwargs=loss_kwargs)

params = trainer.final_params
plt.plot(trainer.losses)
samples = circuit.sample(params, shots=100)
'''


def run(package, seed=0):
    if "matplotlib" not in sys.modules:
        try:
            import matplotlib
            matplotlib.use("Agg")
        except ImportError:                 # the script plots; without matplotlib, plot nowhere
            pyplot = types.ModuleType("matplotlib.pyplot")
            pyplot.plot = lambda *args, **kwargs: None
            sys.modules["matplotlib"] = types.ModuleType("matplotlib")
            sys.modules["matplotlib.pyplot"] = pyplot
    np.random.seed(seed)
    scope = {}
    exec(README_SCRIPT.format(package=package), scope)
    return scope


def test_readme_script_runs_with_iqp():
    import iqp.gen_qml as gen
    scope = run("iqp")
    trainer, circuit = scope["trainer"], scope["circuit"]
    assert len(trainer.losses) == 500 and trainer.losses[-20:].mean() < trainer.losses[:20].mean() / 2
    assert scope["samples"].shape == (100, 10)
    exact = gen.mmd_loss_iqp(trainer.final_params, circuit, scope["X_train"], scope["sigma"], 10, 10, 0,
                             estimator="exact")
    assert exact < trainer.losses[0] / 2
    # n = 10: auto takes the exact path, so the training loss is the exact loss (before the last update).
    before_last = trainer.losses[-1]
    assert abs(before_last - exact) < 1e-3


def test_iqpopt_reaches_the_same_loss():
    pytest.importorskip("iqpopt")
    import iqp.gen_qml as gen
    ours, theirs = run("iqp"), run("iqpopt")
    data, sigma = ours["X_train"], ours["sigma"]
    exact = [gen.mmd_loss_iqp(s["trainer"].final_params, ours["circuit"], data, sigma, 10, 10, 0, estimator="exact")
             for s in (ours, theirs)]
    spread = np.std(theirs["trainer"].losses[-50:])
    assert abs(exact[0] - exact[1]) < 5 * spread + 1e-4
