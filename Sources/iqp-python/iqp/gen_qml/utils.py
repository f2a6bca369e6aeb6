"""IQPopt's bandwidth heuristics (`iqpopt.gen_qml.utils`), computed as `iqp train --sigma median`
and `--sigma heuristic:K` compute them (`Bandwidth` in IQPCore)."""
import numpy as np

from .. import _native


def median_heuristic(X):
    """The median over all ordered pairs of rows (i = j included) of the Euclidean distance
    between the 0/1 rows of `X`'s first 1000 rows (IQPopt uses every row; the CLI and
    `sigma_heuristic` use the first 1000)."""
    data, data_p = _native.bits(X, "X")
    out = np.empty(1)
    _native.call("iqp_median_heuristic", data_p, data.shape[0], data.shape[1], out.ctypes.data_as(_native.c_double_p))
    return float(out[0])


def sigma_heuristic(X, n_sigmas=1):
    """IQPopt's `sigma_heuristic`: `n_sigmas` bandwidths from σ₂ = √(−1/(2 ln(1 − 4/n))) (mean
    string weight 2) to √median_heuristic(X[:1000]), evenly spaced."""
    data, data_p = _native.bits(X, "X")
    out = np.empty(int(n_sigmas))
    _native.call("iqp_sigma_heuristic", data_p, data.shape[0], data.shape[1], int(n_sigmas),
                 out.ctypes.data_as(_native.c_double_p))
    return list(out)
