// The function table of one kernel variant (private to CIQPKernels).
#ifndef IQP_KERNEL_TABLE_H
#define IQP_KERNEL_TABLE_H

#include "CIQPKernels.h"

typedef struct {
    void (*pair_phases)(const iqp_pair_views *, const iqp_string_layout *, ptrdiff_t, const double *, ptrdiff_t,
                        ptrdiff_t, double *);
    void (*pair_sums)(const iqp_pair_views *, const iqp_string_layout *, ptrdiff_t, const double *, ptrdiff_t,
                      ptrdiff_t, double *, double *);
    void (*pair_weights)(const double *, double *, ptrdiff_t, double, double, int, double, const double *);
    void (*trigonometry)(double *, double *, ptrdiff_t, int, double, const double *, double *, double *);
    void (*sincos)(const double *, ptrdiff_t, double *, double *);
    void (*add)(double *, const double *, ptrdiff_t);
    double (*multiply_sum)(double *, const double *, ptrdiff_t);
    ptrdiff_t (*odd_parity_count)(const uint64_t *, ptrdiff_t, const ptrdiff_t *, ptrdiff_t);
} iqp_kernel_table;

extern const iqp_kernel_table iqp_kernels_baseline;
#if defined(__x86_64__)
extern const iqp_kernel_table iqp_kernels_x86_64_v3;
extern const iqp_kernel_table iqp_kernels_x86_64_v4;
#endif

#endif
