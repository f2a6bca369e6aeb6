import CIQPKernels

/// The per-string loops of the fast path (docs/math.md §5), each over one string and one tile of
/// samples z0 ..< z0 + T, so that the rows of σ(Z)ᵀ and Lᵀ_U they read stay in the core's cache
/// while a worker runs all its strings over that tile. Reductions over samples use explicit
/// SIMD accumulators (the compiler does not reorder floating-point sums by itself). The loops
/// themselves are C (CIQPKernels), compiled for several instruction sets and chosen at run time
/// (`KernelVariant`); these wrappers state their math.
enum PairwiseIsingKernels {
    /// Pointers into one step's matrices (valid for the duration of one pass).
    struct Views: @unchecked Sendable {
        // Safe: read-only views of buffers that outlive the pass; passes write disjoint rows.
        let s: Int
        let spins: UnsafePointer<Double>        // σ(Z)ᵀ, n×s
        let fields: UnsafePointer<Double>       // h, n
        let localFields: UnsafePointer<Double>  // Lᵀ_U, |U|×s
        let usedIndex: UnsafePointer<Int32>     // qubit → row of U

        var c: iqp_pair_views {
            iqp_pair_views(s: s, spins: spins, fields: fields, local_fields: localFields, used_index: usedIndex)
        }
    }

    /// One block's string layout as the C kernels read it; valid inside `withKernelLayout`.
    struct KernelLayout: @unchecked Sendable {
        // Safe: points into the layout's arrays, which outlive the pass that uses it (read only).
        let c: iqp_string_layout
    }

    /// φ(a, z) for z in the tile, into phi[0 ..< count]:
    /// φ = Σ_{i∈A} 2σ_i (h_i + L_i − Σ_{k∈A, k>i} 2J_ik σ_k); `coefficients[e]` = 2J_ik of pair
    /// entry e. Sixteen samples at a time are kept in registers while the pairs of qubit i are
    /// subtracted; where two neighbouring qubits of the string both pair with every later one
    /// (all weight-2 generators present), they run together, so each σ_k is loaded once for both.
    /// The loop is C (`iqp_pair_phases`, the variant of `KernelVariant.active`).
    @inline(__always)
    static func phases(_ p: Views, layout l: KernelLayout, string a: Int,
                       coefficients: UnsafePointer<Double>, z0: Int, count: Int, phi: UnsafeMutablePointer<Double>) {
        var views = p.c, layout = l.c
        iqp_pair_phases(&views, &layout, a, coefficients, z0, count, phi)
    }

    /// P_ik += Σ_{z in tile} W_{a,z} σ_{z,i} σ_{z,k} for the generator pairs of string a, into
    /// `pairSums` at the pair entries; `w` is W_a at the tile, `v` work space (2 × tile). Two
    /// neighbouring qubits that pair with every later one share the loads of σ_k, as in `phases`.
    /// The loop is C (`iqp_pair_sums`).
    @inline(__always)
    static func pairSums(_ p: Views, layout l: KernelLayout, string a: Int,
                         w: UnsafePointer<Double>, z0: Int, count: Int,
                         pairSums: UnsafeMutablePointer<Double>, v: UnsafeMutablePointer<Double>) {
        var views = p.c, layout = l.c
        iqp_pair_sums(&views, &layout, a, w, z0, count, pairSums, v)
    }

    /// W_{a,z} = ∂L/∂φ = −(α + β f) sin φ · m with f = cos φ · m (m = 2 − |a| mod 2 − 2(|z| mod 2)
    /// for the spin-symmetric start, else 1), written over `sinPhi` (C: `iqp_pair_weights`).
    @inline(__always)
    static func weights(cosPhi: UnsafePointer<Double>, sinPhi: UnsafeMutablePointer<Double>, count s: Int,
                        alpha: Double, beta: Double, stringParity: Double?, sampleParity: UnsafePointer<Double>?) {
        if let pa = stringParity, let pz = sampleParity {
            iqp_pair_weights(cosPhi, sinPhi, s, alpha, beta, 1, pa, pz)
        } else {
            iqp_pair_weights(cosPhi, sinPhi, s, alpha, beta, 0, 0, nil)
        }
    }

    /// cos φ and sin φ of a row in place (φ in `phiThenCos`, by `VectorSinCos`' method), and
    /// Σ f, Σ f² with f = cos φ · m (C: `iqp_trigonometry`).
    @inline(__always)
    static func trigonometry(phiThenCos c: UnsafeMutablePointer<Double>, sin sn: UnsafeMutablePointer<Double>, count s: Int,
                             stringParity: Double?, sampleParity: UnsafePointer<Double>?) -> (sum: Double, squares: Double) {
        var sum = 0.0, squares = 0.0
        if let pa = stringParity, let pz = sampleParity {
            iqp_trigonometry(c, sn, s, 1, pa, pz, &sum, &squares)
        } else {
            iqp_trigonometry(c, sn, s, 0, 0, nil, &sum, &squares)
        }
        return (sum, squares)
    }

    /// Samples per tile: the tile's rows of σ(Z)ᵀ and Lᵀ_U (n + |U| rows) within about 1 MiB
    /// (half of this machine's per-core L2), a multiple of 8, at least 32.
    static func tileLength(samples s: Int, qubits n: Int, used u: Int) -> Int {
        let fit = (1 << 20) / (8 * max(1, n + u))
        return min(s, max(32, fit & ~7))
    }
}
