"""`IqpSimulator`: IQPopt's circuit class on this engine (docs/math.md §1–§2, §7–§10)."""
import itertools
import json
import secrets

import numpy as np

from . import _native
from .errors import IQPError
from .keys import seed as _seed

_tokens = itertools.count(1)


def _plain(value):
    """numpy integers and arrays in gate lists (IQPopt's `local_gates` gives np.int64) as JSON."""
    return value.tolist() if hasattr(value, "tolist") else int(value)


class IqpSimulator:
    """A parameterised IQP circuit H^n exp(i Σ_k θ_k Σ_{g ∈ gate k} X_g) H^n |0…0⟩ (docs/math.md §1),
    with IQPopt's arguments: `gates[k]` is the list of generators of parameter k, each a list of
    qubits; `init_gates` a fixed layer whose parameters (`init_coefs`) are given at each call;
    `spin_sym` starts from (|0…0⟩ + |1…1⟩)/√2 (§8); `bitflip` is the classical model with the same
    parameters (§9). `device` and `sparse` are accepted for IQPopt's signature and do nothing.
    """

    def __init__(self, n_qubits, gates, device="lightning.qubit", spin_sym=False, init_gates=None,
                 sparse=False, bitflip=False):
        self.n_qubits = int(n_qubits)
        self.gates = gates
        self.n_gates = len(gates)
        self.device = device
        self.sparse = sparse
        self.spin_sym = bool(spin_sym)
        self.init_gates = init_gates
        self.bitflip = bool(bitflip)
        self.token = next(_tokens)
        model = {"n_qubits": self.n_qubits, "gates": gates, "params": [0.0] * len(gates),
                 "spin_sym": self.spin_sym, "model": "bitflip" if bitflip else "iqp"}
        if init_gates is not None:
            model["init_gates"] = init_gates
            model["init_coefs"] = [0.0] * len(init_gates)
        try:
            text = json.dumps(model, default=_plain)
        except (TypeError, ValueError) as error:
            raise IQPError(f"field 'gates': {error}") from None
        self._model = _native.Handle(_native.make("iqp_model_new", text.encode()), "iqp_model_free")
        sizes = (_native.ctypes.c_ssize_t * 4)()
        _native.call("iqp_model_sizes", self._model.pointer, sizes)
        self.n_params, self.n_fixed, self.n_generators = sizes[1], sizes[2], sizes[3]

    # The parameters the library takes: the trainable gates' θ, then the fixed layer's init_coefs.
    def full_params(self, params, init_coefs=None):
        params = np.asarray(params, dtype=np.float64).reshape(-1)
        if params.size != self.n_gates:
            raise IQPError(f"field 'params': has {params.size} values but the circuit has {self.n_gates} gates")
        if self.init_gates is None:
            if init_coefs is not None and len(init_coefs):
                raise IQPError("field 'init_coefs': the circuit has no init_gates")
            return _native.doubles(params)
        if init_coefs is None or len(init_coefs) != len(self.init_gates):
            raise IQPError(f"field 'init_coefs': needs {len(self.init_gates)} values, one per init gate")
        return _native.doubles(np.concatenate([params, np.asarray(init_coefs, dtype=np.float64)]))

    def op_expval(self, params, ops, n_samples, key, init_coefs=None, indep_estimates=False,
                  return_samples=False, max_batch_ops=None, max_batch_samples=None, *, estimator="monte-carlo",
                  memory_budget=0):
        """⟨Z_a⟩ of each row a of `ops` (0/1, shape (l, n) or (n,)) and the standard error of each
        estimate, as `iqp expval` computes them: the Monte Carlo estimate over `n_samples` samples
        drawn with `key` (docs/math.md §2; `iqp expval --samples --seed`), or with
        `estimator="exact"` the exact values (§10; `iqp expval --exact`, errors 0). The estimates
        of a batch share their samples (correlated, as IQPopt's default). `max_batch_*` do nothing:
        the library batches by its memory budget."""
        if indep_estimates or return_samples:
            raise NotImplementedError("iqp: op_expval has no indep_estimates or return_samples")
        if estimator not in ("monte-carlo", "exact"):
            raise IQPError(f"field 'estimator': must be monte-carlo or exact, got '{estimator}'")
        theta, theta_p = self.full_params(params, init_coefs)
        single = np.ndim(ops) == 1
        strings, strings_p = _native.bits(np.atleast_2d(ops), "ops")
        count = strings.shape[0]
        means, errors = np.empty(count), np.empty(count)
        _native.call("iqp_op_expval", self._model.pointer, theta_p, theta.size, strings_p, count, strings.shape[1],
                     int(n_samples), _seed(key), 1 if estimator == "exact" else 0, int(memory_budget),
                     means.ctypes.data_as(_native.c_double_p), errors.ctypes.data_as(_native.c_double_p))
        return (means[0], errors[0]) if single else (means, errors)

    def probs(self, params, init_coefs=None):
        """The exact probabilities of all 2ⁿ bitstrings (small n), in PennyLane's order as IQPopt
        returns them: qubit 0 is the most significant bit of the index."""
        if self.n_qubits > 30:
            raise IQPError(f"field 'n_qubits': probs lists all 2^{self.n_qubits} outcomes; at most 30 qubits")
        theta, theta_p = self.full_params(params, init_coefs)
        out = np.empty(2 ** self.n_qubits)
        _native.call("iqp_probs", self._model.pointer, theta_p, theta.size, out.ctypes.data_as(_native.c_double_p),
                     out.size)
        # The library's index has qubit i in bit i; PennyLane's has qubit 0 first.
        return out.reshape([2] * self.n_qubits).transpose(range(self.n_qubits - 1, -1, -1)).reshape(-1)

    def sample(self, params, init_coefs=None, shots=1, *, key=None):
        """`shots` exact samples (uint8 array (shots, n)), as `iqp sample --seed` draws them with
        `key`; without a key, a fresh random seed each call (IQPopt's behaviour)."""
        theta, theta_p = self.full_params(params, init_coefs)
        seed = secrets.randbits(63) if key is None else _seed(key)
        # First the library's checks alone (shot count, memory), then the buffer.
        _native.call("iqp_sample", self._model.pointer, theta_p, theta.size, int(shots), seed, None)
        out = np.empty((int(shots), self.n_qubits), dtype=np.uint8)
        _native.call("iqp_sample", self._model.pointer, theta_p, theta.size, int(shots), seed,
                     out.ctypes.data_as(_native.c_uint8_p))
        return out

    def to_qasm(self, params, init_coefs=None, dialect="qasm3"):
        """The circuit at `params` as OpenQASM 3 or 2 text (`iqp export`, docs/hardware.md)."""
        theta, theta_p = self.full_params(params, init_coefs)
        return _native.text("iqp_export_qasm", self._model.pointer, theta_p, theta.size, dialect.encode())

    def to_model(self, params, init_coefs=None):
        """The model file's dict (docs/file-formats.md), as `iqp train --out` writes it."""
        theta, theta_p = self.full_params(params, init_coefs)
        return json.loads(_native.text("iqp_model_json", self._model.pointer, theta_p, theta.size))

    def save(self, path, params, init_coefs=None):
        """Writes the model file every `iqp` command reads (`iqp sample --model PATH`, …)."""
        with open(path, "w") as f:
            json.dump(self.to_model(params, init_coefs), f)

    @classmethod
    def load(cls, path):
        """A circuit and its parameters from a model file (read as `iqp` reads it, with its
        errors): `(circuit, params, init_coefs)`."""
        model = json.loads(_native.text("iqp_model_read", str(path).encode()))
        circuit = cls(model["n_qubits"], model["gates"], spin_sym=model.get("spin_sym", False),
                      init_gates=model.get("init_gates"), bitflip=model.get("model") == "bitflip")
        return circuit, np.array(model["params"], dtype=np.float64), model.get("init_coefs")
