"""Reference values for KernelGELTests (Tests/IQPCoreTests/KernelGELTests.swift): small KGEL
problems solved as IQPopt's kgel_opt_samples states them, with cvxpy (minimise
sum(rel_entr(pi, uniform)) subject to pi @ K_truth == mean(K_model, axis=0), sum(pi) == 1,
pi >= 0), written to kgel-cvxpy.json. Test data only: the Swift tests read the JSON, this
script is how it was made (python3 with numpy and cvxpy; the Clarabel solver).

    python3 Tests/Reference/kgel_cvxpy.py > Tests/Reference/kgel-cvxpy.json
"""
import json

import cvxpy as cp
import numpy as np


def kernel(x, w, sigma):
    return np.exp(-((x[:, None, :] - w[None, :, :]) ** 2).sum(-1) / (2 * sigma ** 2))


cases = []
rng = np.random.default_rng(20261207)
for case, (n, truth_rows, model_rows, witnesses, sigma) in enumerate(
        [(6, 40, 30, 3, 1.0), (8, 60, 50, 4, 1.3), (5, 25, 40, 2, 0.8), (10, 80, 80, 5, 2.0)]):
    # Ground truth and model rows from two different product distributions, so the KGEL is > 0.
    truth = (rng.random((truth_rows, n)) < 0.35).astype(int)
    model = (rng.random((model_rows, n)) < 0.45).astype(int)
    wit = truth[-witnesses:]
    a = kernel(truth, wit, sigma)
    mu = kernel(model, wit, sigma).mean(axis=0)
    pi = cp.Variable(truth_rows)
    uniform = np.ones(truth_rows) / truth_rows
    problem = cp.Problem(cp.Minimize(cp.sum(cp.rel_entr(pi, uniform))),
                         [pi @ a == mu, cp.sum(pi) == 1, pi >= 0])
    value = problem.solve(solver=cp.CLARABEL)
    cases.append({"sigma": sigma, "truth": truth.tolist(), "model": model.tolist(),
                  "witnesses": witnesses, "kgel": value, "status": problem.status})
print(json.dumps({"solver": "cvxpy " + cp.__version__ + " CLARABEL", "cases": cases}))
