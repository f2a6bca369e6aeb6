/// The fast Walsh–Hadamard transform (FWHT), in place and unnormalised (docs/math.md §7):
///
///     out[y] = Σ_x (−1)^{popcount(x & y & M)} in[x],     M = the transformed index bits,
///
/// i.e. the 2×2 butterfly (a, b) → (a + b, a − b) applied along every index bit in `bits`.
/// The transforms along different bits commute, so the order of the passes is free:
///
/// - bits below `cacheBits` are done block by block (2^cacheBits values that stay in cache),
///   all those passes in one sweep over memory, the blocks spread over the cores;
/// - the remaining bits are done three at a time (radix-8 butterflies on 8 values at stride
///   2^b, 2^(b+1), 2^(b+2)), one sweep over memory per three bits, split across the cores.
///
/// A complex vector stored interleaved (re, im, re, im, …) is transformed by transforming
/// index bits 1…n of the real array (bit 0 selects re/im and is left alone).
public enum WalshHadamard {
    /// log2 of the in-cache block length in scalars: 2^15 Doubles = 256 KiB.
    @inlinable public static func defaultCacheBits<T>(_: T.Type) -> Int {
        MemoryLayout<T>.size >= 8 ? 15 : 16
    }

    /// Number of sweeps over the whole array that `transform` makes for these bits.
    public static func sweeps(bits: Range<Int>, cacheBits: Int) -> Int {
        guard !bits.isEmpty else { return 0 }
        let split = min(bits.upperBound, max(bits.lowerBound, cacheBits))
        let inCache = split > bits.lowerBound ? 1 : 0
        let high = bits.upperBound - split
        return inCache + (high + 2) / 3
    }

    /// Transforms `data` (2^totalBits scalars) along the index bits `bits`.
    /// Parallel over all cores when the array is large (≥ 2^16 scalars). `isCancelled` is
    /// checked between the chunks of every pass; once it is true the transform stops and
    /// throws `SamplingCancelled` (the data are then garbage).
    @inlinable public static func transform<T: SimulationScalar>(
        _ data: UnsafeMutablePointer<T>, totalBits: Int, bits: Range<Int>,
        cacheBits: Int? = nil, isCancelled: @Sendable () -> Bool = { false }
    ) throws {
        precondition(bits.lowerBound >= 0 && bits.upperBound <= totalBits)
        guard !bits.isEmpty else { return }
        let cache = cacheBits ?? defaultCacheBits(T.self)
        let parallel = totalBits >= 16
        let split = min(bits.upperBound, max(bits.lowerBound, cache))
        let shared = SharedPointer(data)

        // Bits lo..<split, one cache-sized block at a time. Blocks are disjoint index ranges.
        if split > bits.lowerBound {
            let blockBits = split
            let blocks = 1 << (totalBits - blockBits)
            parallelFor(blocks, minimumChunk: parallel ? 1 : blocks, isCancelled: isCancelled) { range in
                for block in range {
                    inBlock(shared.base + (block << blockBits), blockBits: blockBits, lowBit: bits.lowerBound)
                }
            }
            if isCancelled() { throw SamplingCancelled() }
        }

        // Bits split..<hi, up to three per sweep. A unit is one (outer, inner chunk) pair; the
        // butterflies of different units touch disjoint sets of indices.
        var b = split
        while b < bits.upperBound {
            let k = min(3, bits.upperBound - b)
            let h = 1 << b
            let outer = 1 << (totalBits - b - k)
            let chunk = min(h, 4096)
            let chunksPerOuter = h / chunk
            let units = outer * chunksPerOuter
            let groupBits = b + k
            parallelFor(units, minimumChunk: parallel ? 1 : units, isCancelled: isCancelled) { range in
                for unit in range {
                    let o = unit / chunksPerOuter
                    let j0 = (unit % chunksPerOuter) * chunk
                    let p = shared.base + (o << groupBits) + j0
                    switch k {
                    case 3: radix8(p, stride: h, count: chunk)
                    case 2: radix4(p, stride: h, count: chunk)
                    default: radix2(p, stride: h, count: chunk)
                    }
                }
            }
            if isCancelled() { throw SamplingCancelled() }
            b += k
        }
    }

    /// All butterfly passes for bits lowBit..<blockBits inside one contiguous block.
    @inlinable @inline(__always)
    public static func inBlock<T: SimulationScalar>(_ p: UnsafeMutablePointer<T>, blockBits: Int, lowBit: Int) {
        let n = 1 << blockBits
        var bit = lowBit
        // Two bits per pass (radix 4) while possible, then one.
        while bit + 1 < blockBits {
            let h = 1 << bit
            var i = 0
            while i < n {
                radix4(p + i, stride: h, count: h)
                i += 4 * h
            }
            bit += 2
        }
        if bit < blockBits {
            let h = 1 << bit
            var i = 0
            while i < n {
                radix2(p + i, stride: h, count: h)
                i += 2 * h
            }
        }
    }

    /// Butterflies on (p[j], p[j+s]) for j in 0..<count.
    @inlinable @inline(__always)
    public static func radix2<T: SimulationScalar>(_ p: UnsafeMutablePointer<T>, stride s: Int, count: Int) {
        let q = p + s
        for j in 0..<count {
            let a = p[j], b = q[j]
            p[j] = a + b
            q[j] = a - b
        }
    }

    /// Two levels of butterflies on the 4 values p[j + t·s], t = 0…3, for j in 0..<count.
    @inlinable @inline(__always)
    public static func radix4<T: SimulationScalar>(_ p: UnsafeMutablePointer<T>, stride s: Int, count: Int) {
        let p1 = p + s, p2 = p + 2 * s, p3 = p + 3 * s
        for j in 0..<count {
            let x0 = p[j], x1 = p1[j], x2 = p2[j], x3 = p3[j]
            let a0 = x0 + x1, a1 = x0 - x1, a2 = x2 + x3, a3 = x2 - x3
            p[j] = a0 + a2
            p2[j] = a0 - a2
            p1[j] = a1 + a3
            p3[j] = a1 - a3
        }
    }

    /// Three levels of butterflies on the 8 values p[j + t·s], t = 0…7, for j in 0..<count.
    @inlinable @inline(__always)
    public static func radix8<T: SimulationScalar>(_ p: UnsafeMutablePointer<T>, stride s: Int, count: Int) {
        let p1 = p + s, p2 = p + 2 * s, p3 = p + 3 * s
        let p4 = p + 4 * s, p5 = p + 5 * s, p6 = p + 6 * s, p7 = p + 7 * s
        for j in 0..<count {
            let x0 = p[j], x1 = p1[j], x2 = p2[j], x3 = p3[j]
            let x4 = p4[j], x5 = p5[j], x6 = p6[j], x7 = p7[j]
            // bit b
            let a0 = x0 + x1, a1 = x0 - x1, a2 = x2 + x3, a3 = x2 - x3
            let a4 = x4 + x5, a5 = x4 - x5, a6 = x6 + x7, a7 = x6 - x7
            // bit b+1
            let c0 = a0 + a2, c2 = a0 - a2, c1 = a1 + a3, c3 = a1 - a3
            let c4 = a4 + a6, c6 = a4 - a6, c5 = a5 + a7, c7 = a5 - a7
            // bit b+2
            p[j] = c0 + c4
            p4[j] = c0 - c4
            p1[j] = c1 + c5
            p5[j] = c1 - c5
            p2[j] = c2 + c6
            p6[j] = c2 - c6
            p3[j] = c3 + c7
            p7[j] = c3 - c7
        }
    }
}
