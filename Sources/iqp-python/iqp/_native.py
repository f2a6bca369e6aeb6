"""The Swift library `libIQPPython` (Sources/IQPPython) loaded with ctypes, and the conversions
between numpy arrays and its C functions.

ctypes releases the GIL for every foreign call (`ctypes.CDLL`), so other Python threads run while
the library computes; its own threads follow `IQP_NUM_THREADS` (docs/performance.md).
"""
import ctypes
import os
import pathlib

import numpy as np

from .errors import IQPError

_ERROR_CAPACITY = 4096
_LIBRARY_NAMES = ("libIQPPython.so", "libIQPPython.dylib")

c_double_p = ctypes.POINTER(ctypes.c_double)
c_uint8_p = ctypes.POINTER(ctypes.c_uint8)
c_ssize_p = ctypes.POINTER(ctypes.c_ssize_t)
_err = (ctypes.c_char_p, ctypes.c_ssize_t)


def library_path():
    """`IQP_LIBRARY` if set, else the library installed next to this file."""
    explicit = os.environ.get("IQP_LIBRARY")
    if explicit:
        return explicit
    here = pathlib.Path(__file__).resolve().parent
    for name in _LIBRARY_NAMES:
        if (here / name).exists():
            return str(here / name)
    raise ImportError(
        "iqp: the Swift library libIQPPython is not installed next to the package; reinstall with "
        "`pip install Sources/iqp-python` from the clone, or set IQP_LIBRARY to a built "
        "libIQPPython.so (swift build -c release --product IQPPython)")


_SIGNATURES = {
    "iqp_version": (ctypes.c_char_p, []),
    "iqp_string_free": (None, [ctypes.c_void_p]),
    "iqp_model_new": (ctypes.c_void_p, [ctypes.c_char_p, *_err]),
    "iqp_model_free": (None, [ctypes.c_void_p]),
    "iqp_model_sizes": (ctypes.c_int32, [ctypes.c_void_p, c_ssize_p, *_err]),
    "iqp_model_read": (ctypes.c_void_p, [ctypes.c_char_p, *_err]),
    "iqp_model_json": (ctypes.c_void_p, [ctypes.c_void_p, c_double_p, ctypes.c_ssize_t, *_err]),
    "iqp_objective_new": (ctypes.c_void_p, [
        ctypes.c_void_p, c_uint8_p, ctypes.c_ssize_t, ctypes.c_ssize_t, c_uint8_p, ctypes.c_ssize_t,
        c_double_p, ctypes.c_ssize_t, ctypes.c_ssize_t, ctypes.c_ssize_t, c_ssize_p, ctypes.c_ssize_t,
        ctypes.c_char_p, ctypes.c_ssize_t, ctypes.c_uint64, *_err]),
    "iqp_objective_free": (None, [ctypes.c_void_p]),
    "iqp_objective_estimator": (ctypes.c_char_p, [ctypes.c_void_p]),
    "iqp_objective_evaluate": (ctypes.c_int32, [
        ctypes.c_void_p, c_double_p, ctypes.c_ssize_t, ctypes.c_uint64, ctypes.c_int32, c_double_p, c_double_p,
        *_err]),
    "iqp_train": (ctypes.c_int32, [
        ctypes.c_void_p, c_double_p, ctypes.c_ssize_t, ctypes.c_ssize_t, ctypes.c_double, ctypes.c_ssize_t,
        ctypes.c_ssize_t, ctypes.c_void_p, c_double_p, c_double_p, c_ssize_p, *_err]),
    "iqp_stop_new": (ctypes.c_void_p, []),
    "iqp_stop_request": (None, [ctypes.c_void_p]),
    "iqp_stop_free": (None, [ctypes.c_void_p]),
    "iqp_op_expval": (ctypes.c_int32, [
        ctypes.c_void_p, c_double_p, ctypes.c_ssize_t, c_uint8_p, ctypes.c_ssize_t, ctypes.c_ssize_t,
        ctypes.c_ssize_t, ctypes.c_uint64, ctypes.c_int32, ctypes.c_ssize_t, c_double_p, c_double_p, *_err]),
    "iqp_probs": (ctypes.c_int32, [ctypes.c_void_p, c_double_p, ctypes.c_ssize_t, c_double_p, ctypes.c_ssize_t,
                                   *_err]),
    "iqp_sample": (ctypes.c_int32, [ctypes.c_void_p, c_double_p, ctypes.c_ssize_t, ctypes.c_ssize_t,
                                    ctypes.c_uint64, c_uint8_p, *_err]),
    "iqp_export_qasm": (ctypes.c_void_p, [ctypes.c_void_p, c_double_p, ctypes.c_ssize_t, ctypes.c_char_p, *_err]),
    "iqp_gates_from_covariance": (ctypes.c_void_p, [c_uint8_p, ctypes.c_ssize_t, ctypes.c_ssize_t, ctypes.c_ssize_t,
                                                    ctypes.c_int32, *_err]),
    "iqp_initialize_from_data": (ctypes.c_int32, [
        ctypes.c_void_p, c_uint8_p, ctypes.c_ssize_t, ctypes.c_ssize_t, ctypes.c_double, ctypes.c_double,
        ctypes.c_uint64, c_double_p, ctypes.c_ssize_t, *_err]),
    "iqp_median_heuristic": (ctypes.c_int32, [c_uint8_p, ctypes.c_ssize_t, ctypes.c_ssize_t, c_double_p, *_err]),
    "iqp_sigma_heuristic": (ctypes.c_int32, [c_uint8_p, ctypes.c_ssize_t, ctypes.c_ssize_t, ctypes.c_ssize_t,
                                             c_double_p, *_err]),
}


def _load():
    lib = ctypes.CDLL(library_path())
    for name, (restype, argtypes) in _SIGNATURES.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


lib = _load()


def call(name, *args):
    """Calls a status-returning function; raises `IQPError` with the library's line on failure."""
    buffer = ctypes.create_string_buffer(_ERROR_CAPACITY)
    if getattr(lib, name)(*args, buffer, _ERROR_CAPACITY) != 0:
        raise IQPError(buffer.value.decode("utf-8", "replace"))


def make(name, *args):
    """Calls a handle- or string-returning function; raises `IQPError` when it returns null."""
    buffer = ctypes.create_string_buffer(_ERROR_CAPACITY)
    result = getattr(lib, name)(*args, buffer, _ERROR_CAPACITY)
    if not result:
        raise IQPError(buffer.value.decode("utf-8", "replace"))
    return result


def text(name, *args):
    """Calls a function returning a string the caller frees; the string."""
    pointer = make(name, *args)
    try:
        return ctypes.string_at(pointer).decode("utf-8")
    finally:
        lib.iqp_string_free(pointer)


class Handle:
    """An object of the library, freed with its `free` function when garbage-collected."""

    def __init__(self, pointer, free):
        self.pointer = pointer
        self._free = free

    def __del__(self):
        if self.pointer and lib is not None:
            getattr(lib, self._free)(self.pointer)
            self.pointer = None


def doubles(values, name="params"):
    """`values` as a C-contiguous float64 array (no copy when it already is one) and its pointer."""
    array = np.ascontiguousarray(values, dtype=np.float64)
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1:
        raise IQPError(f"field '{name}': needs a 1-D array, got shape {array.shape}")
    return array, array.ctypes.data_as(c_double_p)


def bits(values, name):
    """A 2-D array of 0/1 as C-contiguous uint8 (no copy when it already is one) and its pointer.
    Values other than 0 and 1 raise the library's message (`field 'NAME[r, c]': value v is not 0 or 1`)."""
    array = np.asarray(values)
    if array.ndim != 2:
        raise IQPError(f"field '{name}': needs a 2-D array of 0/1 rows, got shape {array.shape}")
    if array.dtype != np.uint8:
        bad = np.argwhere((array != 0) & (array != 1))
        if len(bad):
            r, c = bad[0]
            value = array[r, c]
            value = int(value) if float(value).is_integer() else value
            raise IQPError(f"field '{name}[{r}, {c}]': value {value} is not 0 or 1")
        array = array.astype(np.uint8)
    array = np.ascontiguousarray(array)
    return array, array.ctypes.data_as(c_uint8_p)


def version():
    return lib.iqp_version().decode()
