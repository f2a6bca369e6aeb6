// The kernels, included once per variant (BaselineKernels.c, X86V3Kernels.c, X86V4Kernels.c):
// each includer sets IQP_VARIANT_SUFFIX and the instruction set. Everything here is static, so
// each variant's functions inline into each other; only the table `iqp_kernels_<suffix>` is
// exported. Reductions use explicit 4-lane accumulators in a fixed order, so every variant sums
// in the same order and the variants differ only by FMA rounding (a·b + c is contracted where
// the variant has FMA: clang's default -ffp-contract=on).
#include <math.h>
#include <string.h>
#include "KernelTable.h"

#pragma clang fp contract(on)
// The 4-lane helpers below are always inlined, so their vector arguments never cross a call.
#pragma clang diagnostic ignored "-Wpsabi"

#define IQP_CAT2(a, b) a##b
#define IQP_CAT(a, b) IQP_CAT2(a, b)
#define IQP_TABLE IQP_CAT(iqp_kernels_, IQP_VARIANT_SUFFIX)

typedef double v4d __attribute__((vector_size(32)));
typedef uint64_t v4u __attribute__((vector_size(32)));

static inline __attribute__((always_inline)) v4d load4(const double *p) { v4d v; memcpy(&v, p, sizeof v); return v; }
static inline __attribute__((always_inline)) void store4(double *p, v4d v) { memcpy(p, &v, sizeof v); }
static inline __attribute__((always_inline)) v4d splat4(double x) { return (v4d){x, x, x, x}; }
static inline __attribute__((always_inline)) double hsum4(v4d v) { return (v[0] + v[1]) + (v[2] + v[3]); }

// MARK: - Sums

/// Σ x_z y_z: four 4-lane accumulators over 16 samples, then 4, then the scalar tail.
static inline __attribute__((always_inline)) double dot(const double *x, const double *y, ptrdiff_t count) {
    v4d a0 = splat4(0), a1 = a0, a2 = a0, a3 = a0;
    ptrdiff_t z = 0;
    for (; z + 16 <= count; z += 16) {
        a0 += load4(x + z) * load4(y + z);
        a1 += load4(x + z + 4) * load4(y + z + 4);
        a2 += load4(x + z + 8) * load4(y + z + 8);
        a3 += load4(x + z + 12) * load4(y + z + 12);
    }
    for (; z + 4 <= count; z += 4) a0 += load4(x + z) * load4(y + z);
    double r = hsum4((a0 + a1) + (a2 + a3));
    for (; z < count; z++) r += x[z] * y[z];
    return r;
}

/// (Σ x_z y_z, Σ x2_z y_z): two dot products sharing the loads of y.
static inline __attribute__((always_inline)) void dots(const double *x, const double *x2, const double *y, ptrdiff_t count,
                        double *r1, double *r2) {
    v4d a0 = splat4(0), a1 = a0, b0 = a0, b1 = a0;
    ptrdiff_t z = 0;
    for (; z + 8 <= count; z += 8) {
        v4d y0 = load4(y + z), y1 = load4(y + z + 4);
        a0 += load4(x + z) * y0; a1 += load4(x + z + 4) * y1;
        b0 += load4(x2 + z) * y0; b1 += load4(x2 + z + 4) * y1;
    }
    double r = hsum4(a0 + a1), q = hsum4(b0 + b1);
    for (; z < count; z++) { r += x[z] * y[z]; q += x2[z] * y[z]; }
    *r1 = r; *r2 = q;
}

/// Σ x_z and Σ x_z² with two 4-lane accumulators each.
static inline __attribute__((always_inline)) void sum_and_squares(const double *x, ptrdiff_t count, double *sum, double *squares) {
    v4d s0 = splat4(0), s1 = s0, q0 = s0, q1 = s0;
    ptrdiff_t z = 0;
    for (; z + 8 <= count; z += 8) {
        v4d u = load4(x + z), w = load4(x + z + 4);
        s0 += u; s1 += w; q0 += u * u; q1 += w * w;
    }
    double s = hsum4(s0 + s1), q = hsum4(q0 + q1);
    for (; z < count; z++) { s += x[z]; q += x[z] * x[z]; }
    *sum = s; *squares = q;
}

static double k_sum(const double *x, ptrdiff_t count) {
    double s, q;
    sum_and_squares(x, count, &s, &q);
    return s;
}

static void k_add(double *y, const double *x, ptrdiff_t count) {
    for (ptrdiff_t z = 0; z < count; z++) y[z] += x[z];
}

static double k_multiply_sum(double *x, const double *y, ptrdiff_t count) {
    for (ptrdiff_t z = 0; z < count; z++) x[z] *= y[z];
    return k_sum(x, count);
}

// MARK: - sin and cos (fdlibm, VectorSinCos.swift)

#define IQP_REDUCED_RANGE 1000000.0

/// sin and cos of four phases with |x| ≤ IQP_REDUCED_RANGE: Cody–Waite reduction by π/2 in
/// three parts, the fdlibm kernels on |r| ≤ π/4, the quadrant picks and signs them.
static inline __attribute__((always_inline)) void sincos4(v4d v, v4d *sin_out, v4d *cos_out) {
    const double two_over_pi = 6.36619772367581382433e-01;
    const double pio2_1 = 1.57079632673412561417e+00, pio2_2 = 6.07710050630396597660e-11,
                 pio2_3 = 2.02226624871116645580e-21;
    const double magic = 6755399441055744.0;  // 1.5·2⁵²: adding it rounds to an integer
    const double s1 = -1.66666666666666324348e-01, s2 = 8.33333333332248946124e-03,
                 s3 = -1.98412698298579493134e-04, s4 = 2.75573137070700676789e-06,
                 s5 = -2.50507602534068634195e-08, s6 = 1.58969099521155010221e-10;
    const double c1 = 4.16666666666666019037e-02, c2 = -1.38888888888741095749e-03,
                 c3 = 2.48015872894767294178e-05, c4 = -2.75573143513906633035e-07,
                 c5 = 2.08757232129817482790e-09, c6 = -1.13596475577881948265e-11;
    v4d t = v * two_over_pi + magic;
    v4u q = (v4u)t;  // low bits: k in two's complement
    v4d k = t - magic;
    v4d r = ((v - k * pio2_1) - k * pio2_2) - k * pio2_3;
    v4d z = r * r;
    v4d sr = r + r * z * (s1 + z * (s2 + z * (s3 + z * (s4 + z * (s5 + z * s6)))));
    v4d hz = 0.5 * z;
    v4d w = 1.0 - hz;
    v4d cr = w + (((1.0 - w) - hz) + z * z * (c1 + z * (c2 + z * (c3 + z * (c4 + z * (c5 + z * c6))))));
    v4u swap = (v4u){0, 0, 0, 0} - (q & 1);           // all ones where k is odd
    v4u sin_sign = (q & 2) << 62;                      // sin: + + − − for k mod 4 = 0 1 2 3
    v4u cos_sign = ((q + 1) & 2) << 62;                // cos: + − − +
    v4u srb = (v4u)sr, crb = (v4u)cr;
    v4u sv = (crb & swap) | (srb & ~swap);
    v4u cv = (srb & swap) | (crb & ~swap);
    *sin_out = (v4d)(sv ^ sin_sign);
    *cos_out = (v4d)(cv ^ cos_sign);
}

static void k_sincos(const double *x, ptrdiff_t count, double *sin_out, double *cos_out) {
    int out_of_range = 0;
    for (ptrdiff_t i = 0; i < count; i++) out_of_range |= !(fabs(x[i]) <= IQP_REDUCED_RANGE);
    if (out_of_range) {
        for (ptrdiff_t i = 0; i < count; i++) { double v = x[i]; sin_out[i] = sin(v); cos_out[i] = cos(v); }
        return;
    }
    ptrdiff_t i = 0;
    for (; i + 4 <= count; i += 4) {
        v4d s, c;
        sincos4(load4(x + i), &s, &c);  // all four read before any is written
        store4(sin_out + i, s);
        store4(cos_out + i, c);
    }
    if (i < count) {
        double in[4] = {0, 0, 0, 0}, so[4], co[4];
        memcpy(in, x + i, (size_t)(count - i) * sizeof(double));
        v4d s, c;
        sincos4(load4(in), &s, &c);
        store4(so, s); store4(co, c);
        memcpy(sin_out + i, so, (size_t)(count - i) * sizeof(double));
        memcpy(cos_out + i, co, (size_t)(count - i) * sizeof(double));
    }
}

static void k_trigonometry(double *c, double *sn, ptrdiff_t count, int has_parity, double pa,
                           const double *pz, double *sum, double *squares) {
    k_sincos(c, count, sn, c);
    if (has_parity) {
        double s = 0, q = 0;
        for (ptrdiff_t z = 0; z < count; z++) { double f = c[z] * (2 - pa - 2 * pz[z]); s += f; q += f * f; }
        *sum = s; *squares = q;
        return;
    }
    sum_and_squares(c, count, sum, squares);
}

static void k_pair_weights(const double *c, double *sn, ptrdiff_t count, double alpha, double beta,
                           int has_parity, double pa, const double *pz) {
    if (has_parity) {
        for (ptrdiff_t z = 0; z < count; z++) {
            double m = 2 - pa - 2 * pz[z];
            sn[z] = -(alpha + beta * c[z] * m) * sn[z] * m;
        }
    } else {
        for (ptrdiff_t z = 0; z < count; z++) sn[z] = -(alpha + beta * c[z]) * sn[z];
    }
}

// MARK: - Pair loops (PairwiseIsingKernels.swift)

/// Whether the qubit at position t < end of a string pairs with every later qubit of it.
static inline __attribute__((always_inline)) int pairs_with_all_later(const iqp_string_layout *l, ptrdiff_t t, ptrdiff_t end) {
    return t < end && l->pair_offsets[t + 1] - l->pair_offsets[t] == end - t - 1;
}

/// φ += 2σ_i (h_i + L_i − Σ_e c_e σ_k(e)) for the qubit i at position t; 16 samples in registers.
static inline __attribute__((always_inline)) void phases_of_one(const iqp_pair_views *p, const iqp_string_layout *l, ptrdiff_t t,
                                 const double *coef, ptrdiff_t z0, ptrdiff_t count, double *phi) {
    const ptrdiff_t s = p->s;
    const ptrdiff_t i = l->qubits[t], lo = l->pair_offsets[t], hi = l->pair_offsets[t + 1];
    const int32_t *pq = l->pair_qubits;
    const double *sig_i = p->spins + i * s + z0, *lf = p->local_fields + (ptrdiff_t)p->used_index[i] * s + z0;
    const double *tile = p->spins + z0;
    const v4d h = splat4(p->fields[i]), two = splat4(2);
    ptrdiff_t z = 0;
    for (; z + 16 <= count; z += 16) {
        v4d v0 = h + load4(lf + z), v1 = h + load4(lf + z + 4), v2 = h + load4(lf + z + 8), v3 = h + load4(lf + z + 12);
        for (ptrdiff_t e = lo; e < hi; e++) {
            const v4d c = splat4(-coef[e]);
            const double *k = tile + (ptrdiff_t)pq[e] * s + z;
            v0 += c * load4(k); v1 += c * load4(k + 4); v2 += c * load4(k + 8); v3 += c * load4(k + 12);
        }
        store4(phi + z, load4(phi + z) + two * load4(sig_i + z) * v0);
        store4(phi + z + 4, load4(phi + z + 4) + two * load4(sig_i + z + 4) * v1);
        store4(phi + z + 8, load4(phi + z + 8) + two * load4(sig_i + z + 8) * v2);
        store4(phi + z + 12, load4(phi + z + 12) + two * load4(sig_i + z + 12) * v3);
    }
    for (; z < count; z++) {
        double v = p->fields[i] + lf[z];
        for (ptrdiff_t e = lo; e < hi; e++) v -= coef[e] * tile[(ptrdiff_t)pq[e] * s + z];
        phi[z] += 2 * sig_i[z] * v;
    }
}

/// phases_of_one for the qubits i, j at positions t, t + 1 when both pair with every later
/// qubit k of the string: i's first pair is j itself, then both lists run over the same k.
static inline __attribute__((always_inline)) void phases_of_two(const iqp_pair_views *p, const iqp_string_layout *l, ptrdiff_t t,
                                 const double *coef, ptrdiff_t z0, ptrdiff_t count, double *phi) {
    const ptrdiff_t s = p->s;
    const ptrdiff_t i = l->qubits[t], j = l->qubits[t + 1];
    const ptrdiff_t first = l->pair_offsets[t], second = l->pair_offsets[t + 1], later = l->pair_offsets[t + 2] - second;
    const double *ci = coef + first + 1, *cj = coef + second;
    const int32_t *ks = l->pair_qubits + second;
    const double *sig_i = p->spins + i * s + z0, *sig_j = p->spins + j * s + z0;
    const double *lf_i = p->local_fields + (ptrdiff_t)p->used_index[i] * s + z0;
    const double *lf_j = p->local_fields + (ptrdiff_t)p->used_index[j] * s + z0;
    const double *tile = p->spins + z0;
    const v4d h_i = splat4(p->fields[i]), h_j = splat4(p->fields[j]), c_ij = splat4(-coef[first]), two = splat4(2);
    ptrdiff_t z = 0;
    for (; z + 16 <= count; z += 16) {
        v4d u0 = (h_i + load4(lf_i + z)) + c_ij * load4(sig_j + z);
        v4d u1 = (h_i + load4(lf_i + z + 4)) + c_ij * load4(sig_j + z + 4);
        v4d u2 = (h_i + load4(lf_i + z + 8)) + c_ij * load4(sig_j + z + 8);
        v4d u3 = (h_i + load4(lf_i + z + 12)) + c_ij * load4(sig_j + z + 12);
        v4d v0 = h_j + load4(lf_j + z), v1 = h_j + load4(lf_j + z + 4), v2 = h_j + load4(lf_j + z + 8),
            v3 = h_j + load4(lf_j + z + 12);
        for (ptrdiff_t e = 0; e < later; e++) {
            const v4d a = splat4(-ci[e]), b = splat4(-cj[e]);
            const double *k = tile + (ptrdiff_t)ks[e] * s + z;
            const v4d x0 = load4(k), x1 = load4(k + 4), x2 = load4(k + 8), x3 = load4(k + 12);
            u0 += a * x0; u1 += a * x1; u2 += a * x2; u3 += a * x3;
            v0 += b * x0; v1 += b * x1; v2 += b * x2; v3 += b * x3;
        }
        store4(phi + z, load4(phi + z) + two * (load4(sig_i + z) * u0 + load4(sig_j + z) * v0));
        store4(phi + z + 4, load4(phi + z + 4) + two * (load4(sig_i + z + 4) * u1 + load4(sig_j + z + 4) * v1));
        store4(phi + z + 8, load4(phi + z + 8) + two * (load4(sig_i + z + 8) * u2 + load4(sig_j + z + 8) * v2));
        store4(phi + z + 12, load4(phi + z + 12) + two * (load4(sig_i + z + 12) * u3 + load4(sig_j + z + 12) * v3));
    }
    for (; z < count; z++) {
        double u = p->fields[i] + lf_i[z] - coef[first] * sig_j[z], v = p->fields[j] + lf_j[z];
        for (ptrdiff_t e = 0; e < later; e++) {
            const double x = tile[(ptrdiff_t)ks[e] * s + z];
            u -= ci[e] * x; v -= cj[e] * x;
        }
        phi[z] += 2 * (sig_i[z] * u + sig_j[z] * v);
    }
}

static void k_pair_phases(const iqp_pair_views *p, const iqp_string_layout *l, ptrdiff_t a, const double *coef,
                          ptrdiff_t z0, ptrdiff_t count, double *phi) {
    memset(phi, 0, (size_t)count * sizeof(double));
    const ptrdiff_t end = l->string_offsets[a + 1];
    ptrdiff_t t = l->string_offsets[a];
    while (t < end) {
        if (pairs_with_all_later(l, t, end) && pairs_with_all_later(l, t + 1, end)) {
            phases_of_two(p, l, t, coef, z0, count, phi);
            t += 2;
        } else {
            phases_of_one(p, l, t, coef, z0, count, phi);
            t += 1;
        }
    }
}

static void k_pair_sums(const iqp_pair_views *p, const iqp_string_layout *l, ptrdiff_t a, const double *w,
                        ptrdiff_t z0, ptrdiff_t count, double *pair_sums, double *v) {
    const ptrdiff_t s = p->s, end = l->string_offsets[a + 1];
    ptrdiff_t t = l->string_offsets[a];
    while (t < end) {
        const ptrdiff_t lo = l->pair_offsets[t], hi = l->pair_offsets[t + 1];
        if (lo == hi) { t += 1; continue; }
        const double *sig_i = p->spins + (ptrdiff_t)l->qubits[t] * s + z0;
        for (ptrdiff_t z = 0; z < count; z++) v[z] = w[z] * sig_i[z];
        if (pairs_with_all_later(l, t, end) && pairs_with_all_later(l, t + 1, end)) {
            const ptrdiff_t second = l->pair_offsets[t + 1];
            double *vj = v + count;
            const double *sig_j = p->spins + (ptrdiff_t)l->qubits[t + 1] * s + z0;
            for (ptrdiff_t z = 0; z < count; z++) vj[z] = w[z] * sig_j[z];
            pair_sums[lo] += dot(v, sig_j, count);
            const ptrdiff_t later = l->pair_offsets[t + 2] - second;
            for (ptrdiff_t e = 0; e < later; e++) {
                double x, y;
                dots(v, vj, p->spins + (ptrdiff_t)l->pair_qubits[second + e] * s + z0, count, &x, &y);
                pair_sums[lo + 1 + e] += x;
                pair_sums[second + e] += y;
            }
            t += 2;
        } else {
            for (ptrdiff_t e = lo; e < hi; e++)
                pair_sums[e] += dot(v, p->spins + (ptrdiff_t)l->pair_qubits[e] * s + z0, count);
            t += 1;
        }
    }
}

// MARK: - Data term (DataTerm.swift)

static ptrdiff_t k_odd_parity_count(const uint64_t *columns, ptrdiff_t wpc, const ptrdiff_t *qubits, ptrdiff_t nq) {
    ptrdiff_t odd = 0;
    for (ptrdiff_t blk = 0; blk < wpc; blk++) {
        uint64_t x = 0;
        for (ptrdiff_t i = 0; i < nq; i++) x ^= columns[qubits[i] * wpc + blk];
        odd += __builtin_popcountll(x);
    }
    return odd;
}

const iqp_kernel_table IQP_TABLE = {
    .pair_phases = k_pair_phases,
    .pair_sums = k_pair_sums,
    .pair_weights = k_pair_weights,
    .trigonometry = k_trigonometry,
    .sincos = k_sincos,
    .add = k_add,
    .multiply_sum = k_multiply_sum,
    .odd_parity_count = k_odd_parity_count,
};
