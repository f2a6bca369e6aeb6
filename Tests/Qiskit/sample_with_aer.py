#!/usr/bin/env python3
"""Samples an exported circuit as a device would and writes iqp's CSV rows (column i = qubit i).

Usage: sample_with_aer.py CIRCUIT.qasm SHOTS SEED OUT.csv

The same calls as docs/hardware.md's IBM block, with Aer's SamplerV2 and AerSimulator in
place of IBM Runtime's SamplerV2 and a device (they return the same result objects).
"""
import sys

import qiskit.qasm3
from qiskit import transpile
from qiskit_aer import AerSimulator
from qiskit_aer.primitives import SamplerV2

path, shots, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
circuit = qiskit.qasm3.loads(open(path).read())
backend = AerSimulator()
job = SamplerV2(seed=seed).run([transpile(circuit, backend, optimization_level=3)], shots=shots)
keys = job.result()[0].data.c.get_bitstrings()          # one 'c[n-1]...c[0]' string per shot
open(out, "w").write("".join(",".join(k[::-1]) + "\n" for k in keys))
