"""The cost of calling the engine from Python: one training step's loss and gradient through
`iqp.gen_qml.mmd_loss_iqp.value_and_grad` next to the same step timed inside the engine by
`iqp bench` (n = 300, every gate of weight ≤ 2, B = s = 1000, σ for mean string weight 2,
1000 random data rows, the auto path), and IQPopt's own step when `iqpopt` is importable.

    IQP=.build/release/iqp IQP_LIBRARY=.build/release/libIQPPython.so \\
        python Sources/iqp-python/examples/overhead.py [--n 300] [--repetitions 5]

Prints the median seconds per step of each and the ratio Python / `iqp bench`. On a machine
shared with other work the two runs see different loads, so the script also times, interleaved
step by step, the bare C call of the same evaluation (`iqp_objective_evaluate` with buffers made
beforehand): the ratio value_and_grad / bare call is the package's own overhead, under one load.
"""
import argparse
import os
import re
import statistics
import subprocess
import time

import numpy as np

import iqp
import iqp.gen_qml as gen
from iqp import _native
from iqp.gen_qml.loss import objective
from iqp.utils import local_gates


def bench_step(binary, n, repetitions):
    """`iqp bench --n N`'s auto row: (σ, seconds per step)."""
    out = subprocess.run([binary, "bench", "--n", str(n), "--repetitions", str(repetitions)], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        words = line.split()
        if words and words[0] == str(n) and any(w.startswith("auto") for w in words):
            value, unit = re.search(r"auto:\S+\s+([\d.]+) (ms|s)\b", line).groups()
            return float(words[4]), float(value) / (1000 if unit == "ms" else 1)
    raise SystemExit(f"no auto row for n = {n} in:\n{out}")


def median_seconds(functions, repetitions):
    """The median seconds of each function over `repetitions` steps, the functions interleaved."""
    for function in functions:
        function(0)                                         # warm-up, as iqp bench --warmup 1
    times = [[] for _ in functions]
    for step in range(1, repetitions + 1):
        for function, spent in zip(functions, times):
            start = time.perf_counter()
            function(step)
            spent.append(time.perf_counter() - start)
    return [statistics.median(spent) for spent in times]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()
    n = args.n
    binary = os.environ.get("IQP", "iqp")
    sigma, engine = bench_step(binary, n, args.repetitions)
    rng = np.random.default_rng(2)
    data = rng.integers(0, 2, (1000, n), dtype=np.uint8)
    gates = local_gates(n, 2)
    circuit = iqp.IqpSimulator(n, gates)
    params = rng.uniform(0, 2 * np.pi, len(gates))
    made = objective(circuit, data, sigma, 1000, 1000, 7)
    theta, theta_p = _native.doubles(params)
    values, grad = np.empty(2), np.empty(theta.size)

    def bare(step):
        _native.call("iqp_objective_evaluate", made.handle.pointer, theta_p, theta.size, step, 0,
                     values.ctypes.data_as(_native.c_double_p), grad.ctypes.data_as(_native.c_double_p))

    python, call = median_seconds([lambda step: gen.mmd_loss_iqp.value_and_grad(
        params, circuit, data, sigma, 1000, 1000, 7, step=step), bare], args.repetitions)
    print(f"n = {n}, {len(gates)} parameters, B = s = 1000, sigma {sigma}")
    print(f"iqp bench (in the engine):        {engine:.4f} s/step")
    print(f"iqp.gen_qml value_and_grad:       {python:.4f} s/step")
    print(f"the bare C call, interleaved:     {call:.4f} s/step")
    print(f"ratio Python / iqp bench:         {python / engine:.3f}")
    print(f"ratio Python / bare C call:       {python / call:.3f}")
    try:
        import jax
        import iqpopt
        import iqpopt.gen_qml
    except ImportError:
        print("IQPopt is not importable: no IQPopt figure")
        return
    reference = iqpopt.IqpSimulator(n, gates)
    grad = jax.value_and_grad(lambda p, key: iqpopt.gen_qml.mmd_loss_iqp(p, reference, data, sigma, 1000, 1000, key))
    theirs, = median_seconds([lambda step: jax.block_until_ready(grad(params, jax.random.PRNGKey(step)))],
                             args.repetitions)
    print(f"IQPopt value_and_grad (JAX):      {theirs:.4f} s/step ({theirs / python:.1f}x this package)")


if __name__ == "__main__":
    main()
