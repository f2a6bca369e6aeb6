"""A notebook-style walkthrough of the `iqp` package (docs/python.md): train an IQP model on the
blobs-8 data set (16 bits, 8 blobs, launch/datasets/blobs-8), plot the loss when matplotlib is
installed, sample the trained model and evaluate it on the test set.

    python Sources/iqp-python/examples/walkthrough.py            # from the clone
    WALKTHROUGH_STEPS=50 python …/walkthrough.py                  # a shorter run

Tests/Python/test_walkthrough.py runs it.
"""
import os
import pathlib

import numpy as np

import iqp
import iqp.gen_qml as gen
from iqp.utils import initialize_from_data, local_gates

# %% The data: 5000 training rows and 10000 test rows of 16 bits.
root = pathlib.Path(os.environ.get("IQP_ROOT", pathlib.Path(__file__).resolve().parents[3]))
folder = root / "launch" / "datasets" / "blobs-8"
train = np.loadtxt(folder / "16_spins_8_blobs_train.csv", delimiter=",", dtype=np.uint8)
test = np.loadtxt(folder / "16_spins_8_blobs_test.csv", delimiter=",", dtype=np.uint8)
n = train.shape[1]
print("data:", train.shape, test.shape)

# %% The model: every gate of weight ≤ 2, started from the data (docs/math.md §6).
gates = local_gates(n, 2)
circuit = iqp.IqpSimulator(n, gates)
params_init = initialize_from_data(gates, train)
sigmas = gen.sigma_heuristic(train, 2)
print(f"{len(gates)} gates, sigma {np.round(sigmas, 3)}")

# %% Train: Adam on the MMD² loss, IQPopt's call. key 1 is `iqp train --seed 1`.
steps = int(os.environ.get("WALKTHROUGH_STEPS", "300"))
loss_kwargs = {"params": params_init, "iqp_circuit": circuit, "ground_truth": train, "sigma": sigmas,
               "n_ops": 1000, "n_samples": 1000, "key": 1}
trainer = iqp.Trainer("Adam", gen.mmd_loss_iqp, stepsize=0.02)
trainer.train(n_iters=steps, loss_kwargs=loss_kwargs)
params = trainer.final_params
print(f"loss {trainer.losses[0]:.5f} -> {trainer.losses[-1]:.5f} in {trainer.run_time:.1f} s ({trainer.estimator})")

# %% Plot the loss, when matplotlib is installed.
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.plot(trainer.losses)
    plt.xlabel("step")
    plt.ylabel("MMD² loss")
    plt.savefig(os.environ.get("WALKTHROUGH_PLOT", "walkthrough-loss.png"))
    print("plotted the loss")
except ImportError:
    print("matplotlib is not installed: no plot")

# %% Sample: exact shots of the trained circuit (`iqp sample --seed 7` gives the same).
shots = circuit.sample(params, shots=2000, key=7)
peaks = np.loadtxt(folder / "16_spins_8_blobs_peak_spins.csv", delimiter=",") > 0     # ±1 spins
nearest = np.min([(shots != peak).sum(axis=1) for peak in peaks], axis=0)
print("shots within 2 flips of a blob's peak:", (nearest <= 2).mean())

# %% Evaluate: the exact test MMD² (all 2¹⁶ strings) of the initial and the trained model.
def test_mmd2(theta):
    return gen.mmd_loss_iqp(theta, circuit, test, sigmas, 1000, 1000, 0, estimator="exact")

before, after = test_mmd2(params_init), test_mmd2(params)
print(f"test MMD²: initial {before:.5f}, trained {after:.5f}")
assert after < before
