// The hot inner loops of iqp, compiled once per instruction-set level and chosen at run time.
//
// Every function below forwards to the variant in use: on x86-64 the highest of x86-64-v4
// (AVX-512), x86-64-v3 (AVX2, FMA, POPCNT, BMI2) and the baseline (SSE2) that the CPU runs,
// chosen on first use; IQP_KERNELS=baseline|x86-64-v3|x86-64-v4|auto forces one. Elsewhere
// (aarch64) there is one variant, plain C for the default target. The variants differ only in
// rounding: the vector ones fuse a·b + c into one FMA. The math of each loop is documented on
// its Swift wrapper (Sources/IQPCore, docs/math.md).
#ifndef CIQPKERNELS_H
#define CIQPKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Pointers into one step of the fast path (docs/math.md §5).
typedef struct {
    ptrdiff_t s;                 // samples: the row length of spins and local_fields
    const double *spins;         // σ(Z)ᵀ, n×s
    const double *fields;        // h, n
    const double *local_fields;  // Lᵀ_U, |U|×s
    const int32_t *used_index;   // qubit → row of U
} iqp_pair_views;

/// The qubits of a block of strings and the generator pairs among them (PairwiseIsingLayout).
typedef struct {
    const ptrdiff_t *string_offsets;  // qubits of string a: qubits[string_offsets[a] ..< string_offsets[a + 1]]
    const int32_t *qubits;
    const ptrdiff_t *pair_offsets;    // later partners of position t: pair_qubits[pair_offsets[t] ..< pair_offsets[t + 1]]
    const int32_t *pair_qubits;
} iqp_string_layout;

/// The kernel variants. Values are stable (tests switch between them).
enum {
    IQP_KERNELS_BASELINE = 0,
    IQP_KERNELS_X86_64_V3 = 1,
    IQP_KERNELS_X86_64_V4 = 2,
};

/// The variant in use (chosen on first call from IQP_KERNELS and the CPU).
int iqp_kernels_active(void);
/// The best variant this CPU runs.
int iqp_kernels_best_supported(void);
/// Whether this build has variant `v` and the CPU runs it.
int iqp_kernels_supported(int v);
/// Makes `v` the variant in use; returns 0, or −1 when it is not supported (nothing changes).
int iqp_kernels_select(int v);
/// The variant named by `text` (IQP_KERNELS syntax; "auto" and "" give the best supported),
/// or −1 for an unknown name.
int iqp_kernels_parse(const char *text);
/// "baseline", "x86-64-v3", "x86-64-v4".
const char *iqp_kernels_name(int v);
/// The instruction-set extensions variant `v` uses, e.g. "avx2 fma popcnt bmi2" ("" for the baseline).
const char *iqp_kernels_features(int v);

/// φ(a, z) for the samples z0 ..< z0 + count of string a into phi[0 ..< count].
void iqp_pair_phases(const iqp_pair_views *p, const iqp_string_layout *l, ptrdiff_t a,
                     const double *coefficients, ptrdiff_t z0, ptrdiff_t count, double *phi);
/// P_e += Σ_z w_z σ_{z,i} σ_{z,k} over the pair entries e = (i, k) of string a; v: 2·count doubles of work space.
void iqp_pair_sums(const iqp_pair_views *p, const iqp_string_layout *l, ptrdiff_t a,
                   const double *w, ptrdiff_t z0, ptrdiff_t count, double *pair_sums, double *v);
/// sin_phi[z] = −(α + β f_z) sin φ_z · m_z with f_z = cos φ_z · m_z (m as in iqp_trigonometry).
void iqp_pair_weights(const double *cos_phi, double *sin_phi, ptrdiff_t count, double alpha, double beta,
                      int has_parity, double string_parity, const double *sample_parity);
/// cos φ over φ in place and sin φ into sin_out; *sum = Σ f, *squares = Σ f² with f = cos φ · m,
/// m = 2 − string_parity − 2·sample_parity[z] when has_parity, else 1.
void iqp_trigonometry(double *phi_then_cos, double *sin_out, ptrdiff_t count, int has_parity,
                      double string_parity, const double *sample_parity, double *sum, double *squares);
/// sin_out[i] = sin x[i], cos_out[i] = cos x[i]; x may be the same memory as either output.
void iqp_sincos(const double *x, ptrdiff_t count, double *sin_out, double *cos_out);
/// y_i += x_i.
void iqp_add(double *y, const double *x, ptrdiff_t count);
/// x_i *= y_i, and returns Σ x_i (after the product).
double iqp_multiply_sum(double *x, const double *y, ptrdiff_t count);
/// Σ_blk popcount(XOR over i of columns[qubits[i]·words_per_column + blk]).
ptrdiff_t iqp_odd_parity_count(const uint64_t *columns, ptrdiff_t words_per_column,
                               const ptrdiff_t *qubits, ptrdiff_t qubit_count);

#ifdef __cplusplus
}
#endif

#endif
