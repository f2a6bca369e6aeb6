#ifndef IQP_CZLIB_SHIM_H
#define IQP_CZLIB_SHIM_H
// zlib from Debian's zlib1g-dev (pkg-config name `zlib`).
#include <zlib.h>

// `deflateInit2` and `inflateInit2` are macros over the `_` functions that pass the library's
// version and the stream's size; Swift cannot import function-like macros.
static inline int iqp_deflate_init_gzip(z_streamp stream, int level) {
    // windowBits 15 + 16: a gzip wrapper (RFC 1952) instead of zlib's own.
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

static inline int iqp_inflate_init_gzip(z_streamp stream) {
    // windowBits 15 + 32: gzip or zlib wrapper, detected from the header.
    return inflateInit2(stream, 15 + 32);
}
#endif
