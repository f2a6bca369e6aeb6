"""iqp: IQPopt's interface on this engine, in-process (docs/python.md).

Change `import iqpopt as iqp` to `import iqp` (and `iqpopt.gen_qml`, `iqpopt.utils` to
`iqp.gen_qml`, `iqp.utils`): the circuit, the MMD² loss and its exact gradient, training,
sampling and export run in the Swift library `libIQPPython` through its C ABI.
"""
from . import gen_qml, keys, service, utils
from ._native import version as _version
from .errors import IQPError
from .simulator import IqpSimulator
from .training import Trainer

__version__ = _version()
__all__ = ["IqpSimulator", "Trainer", "IQPError", "gen_qml", "utils", "keys", "service"]
