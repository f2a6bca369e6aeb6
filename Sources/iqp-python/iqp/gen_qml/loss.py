"""The MMD² loss of an IQP circuit and its exact gradient (docs/math.md §2–§5, §10), as
`iqp train` computes them: IQPCore's `MMDObjective` through `libIQPPython`."""
import collections
import hashlib
import threading

import numpy as np

from .. import _native
from ..errors import IQPError
from ..keys import seed as _seed

_UNSUPPORTED = ("indep_estimates", "sqrt_loss", "return_expvals")
_cache = collections.OrderedDict()
_CACHE_SIZE = 8


def _fingerprint(array):
    array = np.ascontiguousarray(array)
    content = memoryview(array.reshape(-1).view(np.uint8)) if array.size and array.dtype != object else array.tobytes()
    return (array.shape, array.dtype.str, hashlib.blake2b(content, digest_size=16).digest())


class Objective:
    """One loss: (circuit, ground truth, σ, n_ops, n_samples, wires, estimator, key), made once
    and evaluated at any θ and step. `lock` keeps its calls one at a time (its work buffers are
    reused from call to call)."""

    def __init__(self, circuit, ground_truth, sigma, n_ops, n_samples, key, wires=None, estimator="auto",
                 memory_budget=0, validation=None):
        self.circuit = circuit
        self.lock = threading.Lock()
        sigmas = np.atleast_1d(np.asarray(sigma, dtype=np.float64))
        sigmas, sigmas_p = _native.doubles(sigmas, "sigma")
        data, data_p = _native.bits(ground_truth, "ground_truth")
        if validation is not None:
            held, held_p = _native.bits(validation, "val_kwargs['ground_truth']")
            if held.shape[1] != data.shape[1]:
                raise IQPError(f"field 'val_kwargs['ground_truth']': has {held.shape[1]} columns but the training "
                               f"data has {data.shape[1]}")
        else:
            held, held_p = None, None
        wire_list = None if wires is None else np.ascontiguousarray(wires, dtype=np.intp).reshape(-1)
        wires_p = None if wire_list is None else wire_list.ctypes.data_as(_native.c_ssize_p)
        self.seed = _seed(key)
        self.handle = _native.Handle(_native.make(
            "iqp_objective_new", circuit._model.pointer, data_p, data.shape[0], data.shape[1],
            held_p, 0 if held is None else held.shape[0], sigmas_p, sigmas.size, int(n_ops), int(n_samples),
            wires_p, 0 if wire_list is None else wire_list.size, str(estimator).encode(), int(memory_budget),
            self.seed), "iqp_objective_free")
        self.estimator = _native.lib.iqp_objective_estimator(self.handle.pointer).decode()

    def evaluate(self, params, init_coefs=None, step=0, gradient=True, validation=False):
        """(loss, validation loss or nan, ∂L/∂θ of the trainable gates or None)."""
        theta, theta_p = self.circuit.full_params(params, init_coefs)
        values = np.empty(2)
        grad = np.empty(theta.size) if gradient else None
        with self.lock:
            _native.call("iqp_objective_evaluate", self.handle.pointer, theta_p, theta.size, int(step),
                         1 if validation else 0, values.ctypes.data_as(_native.c_double_p),
                         None if grad is None else grad.ctypes.data_as(_native.c_double_p))
        return values[0], values[1], None if grad is None else grad[:self.circuit.n_gates]


def objective(circuit, ground_truth, sigma, n_ops, n_samples, key, wires=None, estimator="auto", memory_budget=0,
              validation=None):
    """The `Objective` of these arguments, from a small cache keyed by the circuit and the data's
    contents (so a training loop that calls the loss every step builds it once)."""
    cache_key = (circuit.token, _fingerprint(np.asarray(ground_truth)), tuple(np.atleast_1d(sigma).tolist()),
                 int(n_ops), int(n_samples), _seed(key), None if wires is None else tuple(np.asarray(wires).tolist()),
                 estimator, int(memory_budget),
                 None if validation is None else _fingerprint(np.asarray(validation)))
    found = _cache.get(cache_key)
    if found is not None and found.circuit is circuit:
        _cache.move_to_end(cache_key)
        return found
    made = Objective(circuit, ground_truth, sigma, n_ops, n_samples, key, wires, estimator, memory_budget, validation)
    _cache[cache_key] = made
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return made


def _check(options):
    for name in _UNSUPPORTED:
        if options.get(name):
            raise NotImplementedError(f"iqp: mmd_loss_iqp has no {name}")


def mmd_loss_iqp(params, iqp_circuit, ground_truth, sigma, n_ops, n_samples, key, init_coefs=None, wires=None,
                 indep_estimates=False, jit=True, sqrt_loss=False, return_expvals=False, max_batch_ops=None,
                 max_batch_samples=None, *, estimator="auto", step=0, memory_budget=0):
    """IQPopt's unbiased estimate of the MMD² loss (docs/math.md §3): the mean over the bandwidths
    `sigma` (a number or a list) of the loss over `n_ops` Pauli strings and `n_samples` Monte Carlo
    samples drawn with `key` (an int seed or a JAX key, `iqp.keys`) at training step `step`: the
    same number as `iqp train --seed` computes at that step. `estimator` is `iqp train
    --estimator`: `auto` (the CLI's default: the exact loss over all 2ⁿ strings where that is
    cheaper, docs/math.md §10), `dense`, `fast` or `exact`. `wires` restricts the strings to those
    qubits. `jit`, `max_batch_*` do nothing."""
    _check(locals())
    made = objective(iqp_circuit, ground_truth, sigma, n_ops, n_samples, key, wires, estimator, memory_budget)
    return float(made.evaluate(params, init_coefs, step, gradient=False)[0])


def mmd_loss_iqp_value_and_grad(params, iqp_circuit, ground_truth, sigma, n_ops, n_samples, key, init_coefs=None,
                                wires=None, indep_estimates=False, jit=True, sqrt_loss=False, return_expvals=False,
                                max_batch_ops=None, max_batch_samples=None, *, estimator="auto", step=0,
                                memory_budget=0):
    """`(loss, gradient)`: `mmd_loss_iqp` and its exact gradient ∂L/∂θ with respect to `params`
    from the same strings and samples (closed form, docs/math.md §4; JAX's autodiff is not used)."""
    _check(locals())
    made = objective(iqp_circuit, ground_truth, sigma, n_ops, n_samples, key, wires, estimator, memory_budget)
    loss, _, grad = made.evaluate(params, init_coefs, step, gradient=True)
    return float(loss), grad


mmd_loss_iqp.value_and_grad = mmd_loss_iqp_value_and_grad
