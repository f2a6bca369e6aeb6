// Which variant runs: chosen once, on the first call, from IQP_KERNELS and the CPU
// (`__builtin_cpu_supports`); `iqp_kernels_select` switches it (tests and benchmarks compare
// the variants in one process). Every public kernel forwards through the table in use.
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "KernelTable.h"

static const iqp_kernel_table *table_of(int v) {
    switch (v) {
    case IQP_KERNELS_BASELINE: return &iqp_kernels_baseline;
#if defined(__x86_64__)
    case IQP_KERNELS_X86_64_V3: return &iqp_kernels_x86_64_v3;
    case IQP_KERNELS_X86_64_V4: return &iqp_kernels_x86_64_v4;
#endif
    default: return NULL;
    }
}

int iqp_kernels_supported(int v) {
    switch (v) {
    case IQP_KERNELS_BASELINE: return 1;
#if defined(__x86_64__)
    case IQP_KERNELS_X86_64_V3:
        __builtin_cpu_init();
        return __builtin_cpu_supports("x86-64-v3") != 0;
    case IQP_KERNELS_X86_64_V4:
        __builtin_cpu_init();
        return __builtin_cpu_supports("x86-64-v4") != 0;
#endif
    default: return 0;
    }
}

int iqp_kernels_best_supported(void) {
    if (iqp_kernels_supported(IQP_KERNELS_X86_64_V4)) return IQP_KERNELS_X86_64_V4;
    if (iqp_kernels_supported(IQP_KERNELS_X86_64_V3)) return IQP_KERNELS_X86_64_V3;
    return IQP_KERNELS_BASELINE;
}

int iqp_kernels_parse(const char *text) {
    if (text == NULL || text[0] == '\0' || strcmp(text, "auto") == 0) return iqp_kernels_best_supported();
    if (strcmp(text, "baseline") == 0) return IQP_KERNELS_BASELINE;
    if (strcmp(text, "x86-64-v3") == 0) return IQP_KERNELS_X86_64_V3;
    if (strcmp(text, "x86-64-v4") == 0) return IQP_KERNELS_X86_64_V4;
    return -1;
}

const char *iqp_kernels_name(int v) {
    switch (v) {
    case IQP_KERNELS_X86_64_V3: return "x86-64-v3";
    case IQP_KERNELS_X86_64_V4: return "x86-64-v4";
    default: return "baseline";
    }
}

const char *iqp_kernels_features(int v) {
    switch (v) {
    case IQP_KERNELS_X86_64_V3: return "avx2 fma popcnt bmi2";
    case IQP_KERNELS_X86_64_V4: return "avx512f avx512dq avx512bw avx512vl avx2 fma popcnt bmi2";
    default: return "";
    }
}

static _Atomic(int) active = -1;

int iqp_kernels_active(void) {
    int v = atomic_load_explicit(&active, memory_order_acquire);
    if (v >= 0) return v;
    // First use: IQP_KERNELS, else the best the CPU runs. A bad value stops the process here
    // (`iqp` checks it first and reports it as its one-line error, KernelVariant.swift).
    const char *text = getenv("IQP_KERNELS");
    v = iqp_kernels_parse(text);
    if (v < 0 || !iqp_kernels_supported(v)) {
        fprintf(stderr, "iqp: error: IQP_KERNELS=%s: %s\n", text,
                v < 0 ? "unknown kernel variant (use baseline, x86-64-v3, x86-64-v4 or auto)"
                      : "this CPU does not run that kernel variant");
        exit(1);
    }
    atomic_store_explicit(&active, v, memory_order_release);
    return v;
}

int iqp_kernels_select(int v) {
    if (!iqp_kernels_supported(v) || table_of(v) == NULL) return -1;
    atomic_store_explicit(&active, v, memory_order_release);
    return 0;
}

static inline const iqp_kernel_table *current(void) { return table_of(iqp_kernels_active()); }

void iqp_pair_phases(const iqp_pair_views *p, const iqp_string_layout *l, ptrdiff_t a,
                     const double *coefficients, ptrdiff_t z0, ptrdiff_t count, double *phi) {
    current()->pair_phases(p, l, a, coefficients, z0, count, phi);
}

void iqp_pair_sums(const iqp_pair_views *p, const iqp_string_layout *l, ptrdiff_t a,
                   const double *w, ptrdiff_t z0, ptrdiff_t count, double *pair_sums, double *v) {
    current()->pair_sums(p, l, a, w, z0, count, pair_sums, v);
}

void iqp_pair_weights(const double *cos_phi, double *sin_phi, ptrdiff_t count, double alpha, double beta,
                      int has_parity, double string_parity, const double *sample_parity) {
    current()->pair_weights(cos_phi, sin_phi, count, alpha, beta, has_parity, string_parity, sample_parity);
}

void iqp_trigonometry(double *phi_then_cos, double *sin_out, ptrdiff_t count, int has_parity,
                      double string_parity, const double *sample_parity, double *sum, double *squares) {
    current()->trigonometry(phi_then_cos, sin_out, count, has_parity, string_parity, sample_parity, sum, squares);
}

void iqp_sincos(const double *x, ptrdiff_t count, double *sin_out, double *cos_out) {
    current()->sincos(x, count, sin_out, cos_out);
}

void iqp_add(double *y, const double *x, ptrdiff_t count) { current()->add(y, x, count); }

double iqp_multiply_sum(double *x, const double *y, ptrdiff_t count) { return current()->multiply_sum(x, y, count); }

ptrdiff_t iqp_odd_parity_count(const uint64_t *columns, ptrdiff_t words_per_column,
                               const ptrdiff_t *qubits, ptrdiff_t qubit_count) {
    return current()->odd_parity_count(columns, words_per_column, qubits, qubit_count);
}
