"""IQPopt's gate lists and data initialisation (`iqpopt.utils`), built as `iqp train --gates` and
`--init data` build them."""
import itertools
import json

import numpy as np

from . import _native
from .keys import seed as _seed


def local_gates(n_qubits, max_weight=2):
    """Every gate with one generator of weight 1..max_weight, by weight then in lexicographic
    order of the qubits: IQPopt's list (with Python ints), and `iqp train --gates local:W`'s."""
    return [[list(qubits)] for weight in range(1, max_weight + 1)
            for qubits in itertools.combinations(range(int(n_qubits)), weight)]


def _adjacency(G):
    if isinstance(G, str):                  # a networkx adjacency list file: "node neighbour …" per line
        adjacency = {}
        with open(G) as f:
            for line in f:
                words = line.split("#")[0].split()
                if not words:
                    continue
                node, neighbours = int(words[0]), [int(w) for w in words[1:]]
                adjacency.setdefault(node, set()).update(neighbours)
                for other in neighbours:
                    adjacency.setdefault(other, set()).add(node)
        return {node: sorted(adjacency[node]) for node in adjacency}
    return {node: sorted(G.neighbors(node)) for node in G.nodes}


def nearest_neighbour_gates(G, distance, max_weight=2):
    """For each node s of the graph `G` (a networkx graph or an adjacency-list file), a gate
    [[…, s]] for each set of up to `max_weight − 1` other nodes within `distance` edges of s,
    each set of qubits once (IQPopt's gates; here the neighbours in increasing order)."""
    adjacency = _adjacency(G)
    gates, seen = [], set()
    for source in adjacency:
        reached, frontier = {source}, {source}
        for _ in range(int(distance)):
            frontier = {n for node in frontier for n in adjacency.get(node, ()) if n not in reached}
            reached |= frontier
        near = sorted(reached - {source})
        for weight in range(0, int(max_weight)):
            for combo in itertools.combinations(near, weight):
                gate = [int(q) for q in combo] + [int(source)]
                if frozenset(gate) not in seen:
                    seen.add(frozenset(gate))
                    gates.append([gate])
    return gates


def nearest_neighbour_lattice_gates(height, width, distance, max_weight=2):
    """`nearest_neighbour_gates` on the periodic height × width lattice (node i·width + j)."""
    adjacency = {}
    for i in range(height):
        for j in range(width):
            node = i * width + j
            adjacency[node] = sorted({((i + di) % height) * width + (j + dj) % width
                                      for di, dj in ((1, 0), (-1, 0), (0, 1), (0, -1))} - {node})

    class Lattice:
        nodes = list(adjacency)

        @staticmethod
        def neighbors(node):
            return adjacency[node]
    return nearest_neighbour_gates(Lattice, distance, max_weight)


def gates_from_covariance(data, n_gates, return_local=False):
    """The `n_gates` qubit pairs with the largest |spin covariance| of `data`, one gate [[i, j]]
    (i < j) each, in decreasing order (after the n weight-1 gates with `return_local`):
    `iqp train --gates covariance:K`. IQPopt's list repeats every pair ([[i, j]], [[j, i]]); here
    each pair is once and `n_gates` counts distinct pairs (docs/file-formats.md)."""
    rows, rows_p = _native.bits(data, "data")
    return json.loads(_native.text("iqp_gates_from_covariance", rows_p, rows.shape[0], rows.shape[1], int(n_gates),
                                   1 if return_local else 0))


def initialize_from_data(gates_list, data, scale=-1, param_noise=0., key=0):
    """IQPopt's data-dependent start (docs/math.md §6), `iqp train --init data`: θ = arcsin(√mean x_i)
    for a gate [[i]], the spin covariance C_ij scaled for a gate [[i, j]] (by √(2n/ΣC²), or
    π·scale/max|C| when `scale` > 0), N(0, param_noise²) drawn with `key` for any other gate."""
    from .simulator import IqpSimulator
    rows, rows_p = _native.bits(data, "data")
    circuit = IqpSimulator(rows.shape[1], gates_list)
    params = np.empty(circuit.n_params)
    _native.call("iqp_initialize_from_data", circuit._model.pointer, rows_p, rows.shape[0], rows.shape[1],
                 float(scale) if scale is not None else -1.0, float(param_noise), _seed(key),
                 params.ctypes.data_as(_native.c_double_p), params.size)
    return params
