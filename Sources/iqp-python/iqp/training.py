"""`Trainer`: IQPopt's training class, running IQPCore's training loop (`iqp train`'s) in-process."""
import sys
import threading
import time

import numpy as np

from . import _native
from .errors import IQPError
from .gen_qml.loss import mmd_loss_iqp, objective

_LOSS_ARGS = ("iqp_circuit", "ground_truth", "sigma", "n_ops", "n_samples")
_SAME_FOR_VALIDATION = ("iqp_circuit", "sigma", "n_ops", "n_samples", "wires", "estimator", "init_coefs")


class Trainer:
    """`Trainer("Adam", gen_qml.mmd_loss_iqp, stepsize)`: Adam with optax's defaults and rate
    `stepsize` (docs/math.md §6) on the MMD² loss, each step's loss and exact gradient from the
    streams of (key, step), so `train` gives the parameters `iqp train` gives with the same data,
    gates, initial parameters (`--init-params`), σ, `--ops`, `--samples`, `--lr`, `--steps` and
    `--seed`. Other optimizers and losses are not offered (their gradients would need JAX)."""

    def __init__(self, optimizer, loss, stepsize, opt_jit=False):
        if optimizer != "Adam":
            raise NotImplementedError(f"iqp: Trainer runs Adam only, not {optimizer!r}")
        if loss is not mmd_loss_iqp:
            raise NotImplementedError("iqp: Trainer trains iqp.gen_qml.mmd_loss_iqp (its exact gradient is closed "
                                      "form); for another loss use its value and gradient in your own loop")
        self.optimizer = optimizer
        self.loss = loss
        self.stepsize = float(stepsize)

    def train(self, n_iters, loss_kwargs, val_kwargs=None, convergence_interval=None, monitor_interval=None,
              turbo=None, random_state=666):
        """Trains for at most `n_iters` steps from `loss_kwargs["params"]`; sets `final_params`,
        `losses` (step t's loss, at the parameters before update t), `val_losses` (0 without
        `val_kwargs`, as IQPopt), `run_time`, `converged` and `stopped`.

        `key` in `loss_kwargs` (else `random_state`) is the seed (`iqp.keys`). `val_kwargs` gives
        validation rows (`ground_truth`; its other arguments must equal the loss's): the
        validation loss is computed every step and IQPopt's convergence rule
        (`convergence_interval`) watches it. Ctrl-C stops after the current step: the results
        so far are kept, `stopped` is True and the call returns normally. `monitor_interval` and
        `turbo` are not offered."""
        if monitor_interval is not None:
            raise NotImplementedError("iqp: Trainer.train has no monitor_interval")
        kwargs = dict(loss_kwargs)
        missing = [name for name in ("params", *_LOSS_ARGS) if name not in kwargs]
        if missing:
            raise IQPError(f"field 'loss_kwargs': needs {', '.join(missing)}")
        unknown = set(kwargs) - {"params", "key", "init_coefs", "wires", "estimator", "memory_budget", *_LOSS_ARGS,
                                 "jit", "max_batch_ops", "max_batch_samples"}
        if unknown:
            raise IQPError(f"field 'loss_kwargs': unknown arguments {', '.join(sorted(unknown))}")
        circuit = kwargs["iqp_circuit"]
        validation = None
        if val_kwargs is not None:
            for name in _SAME_FOR_VALIDATION:
                if name in val_kwargs and not _same(val_kwargs[name], kwargs.get(name)):
                    raise IQPError(f"field 'val_kwargs['{name}']': must equal loss_kwargs['{name}'] (the "
                                   "validation loss uses the training loss's strings)")
            validation = val_kwargs["ground_truth"]
        made = objective(circuit, kwargs["ground_truth"], kwargs["sigma"], kwargs["n_ops"], kwargs["n_samples"],
                         kwargs.get("key", random_state), kwargs.get("wires"), kwargs.get("estimator", "auto"),
                         kwargs.get("memory_budget", 0), validation)
        theta, _ = circuit.full_params(kwargs["params"], kwargs.get("init_coefs"))
        theta = theta.copy()
        interval = 0 if convergence_interval is None else int(convergence_interval)
        if convergence_interval is not None and interval == 0:
            raise IQPError("field 'convergence_interval': must be at least 1, got 0")
        steps = int(n_iters)
        if steps < 0:
            raise IQPError(f"field 'n_iters': must be non-negative, got {steps}")
        losses, val_losses = np.full(steps, np.nan), np.full(steps, np.nan)
        outcome = (_native.ctypes.c_ssize_t * 3)()
        stop = _native.Handle(_native.lib.iqp_stop_new(), "iqp_stop_free")
        failure, finished = [], []

        def run():
            try:
                with made.lock:
                    _native.call("iqp_train", made.handle.pointer, theta.ctypes.data_as(_native.c_double_p), theta.size,
                                 steps, self.stepsize, interval, 1 if validation is not None else 0,
                                 stop.pointer, losses.ctypes.data_as(_native.c_double_p),
                                 val_losses.ctypes.data_as(_native.c_double_p), outcome)
            except BaseException as error:      # re-raised in the calling thread
                failure.append(error)
            finally:
                finished.append(True)

        start = time.time()
        worker = threading.Thread(target=run, name="iqp-train", daemon=True)
        worker.start()
        interrupted = False
        # Polled with sleep, not Thread.join: a KeyboardInterrupt inside join can leave the thread
        # looking finished while it still runs.
        while not finished:
            try:
                time.sleep(0.02)
            except KeyboardInterrupt:
                if interrupted:
                    raise
                interrupted = True
                _native.lib.iqp_stop_request(stop.pointer)
                print("iqp: Ctrl-C: stopping after this step (Ctrl-C again to leave at once)", file=sys.stderr)
        worker.join()
        if failure:
            raise failure[0]
        completed = outcome[0]
        self.n_iters = steps
        self.run_time = time.time() - start
        self.final_params = theta[:circuit.n_gates].copy()
        self.losses = losses[:completed]
        self.val_losses = val_losses[:completed] if validation is not None else np.zeros(completed)
        self.converged = bool(outcome[1])
        self.stopped = bool(outcome[2])
        self.estimator = made.estimator
        self.params_hist = []
        if self.converged:
            print(f"Training converged after {completed} steps")
        elif self.stopped:
            print(f"Training stopped after {completed} steps")
        else:
            print(f"Training has not converged after {steps} steps")
        return self


def _same(a, b):
    if a is b:
        return True
    try:
        return bool(np.array_equal(np.asarray(a), np.asarray(b)))
    except (TypeError, ValueError):
        return a == b
