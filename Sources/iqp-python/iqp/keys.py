"""Random keys. This engine's random numbers are counter-based streams keyed by an unsigned
64-bit seed (docs/random-streams.md), so a key is a seed:

- an int (or numpy integer) 0 ≤ k < 2⁶⁴ is the seed itself, the CLI's `--seed k`;
- a JAX PRNG key (`jax.random.PRNGKey(s)`, `jax.random.key(s)`, or its raw `uint32` data
  [hi, lo]) is the seed hi·2³² + lo, so `jax.random.PRNGKey(42)` is `--seed 42`.

JAX's `split` is not used: a key does not change between calls; the training step t uses the
stream of (seed, t) as `iqp train` does.
"""
import numpy as np

from .errors import IQPError


def seed(key, name="key"):
    """The 64-bit seed of `key` (see the module's doc)."""
    if key is None:
        return 0
    if isinstance(key, (bool, np.bool_)):
        raise IQPError(f"field '{name}': needs an int seed or a JAX PRNG key, got {key!r}")
    if isinstance(key, (int, np.integer)):
        value = int(key)
        if not 0 <= value < 2 ** 64:
            raise IQPError(f"field '{name}': seed {value} is not in 0..<2^64")
        return value
    data = key
    try:                                    # typed JAX keys (jax.random.key)
        import jax
        if hasattr(jax, "dtypes") and jax.dtypes.issubdtype(key.dtype, jax.dtypes.prng_key):
            data = jax.random.key_data(key)
    except (ImportError, AttributeError, TypeError):
        pass
    raw = np.asarray(data)
    if raw.shape == () and np.issubdtype(raw.dtype, np.integer):
        return seed(int(raw), name)
    if raw.shape != (2,) or not np.issubdtype(raw.dtype, np.integer):
        raise IQPError(f"field '{name}': needs an int seed or a JAX PRNG key of two uint32, got shape {raw.shape}")
    hi, lo = (int(v) & 0xFFFFFFFF for v in raw)
    return (hi << 32) | lo
