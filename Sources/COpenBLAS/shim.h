#ifndef IQP_COPENBLAS_SHIM_H
#define IQP_COPENBLAS_SHIM_H
// OpenBLAS from Debian's libopenblas-dev (pkg-config name `openblas`).
#include <cblas.h>
#endif
