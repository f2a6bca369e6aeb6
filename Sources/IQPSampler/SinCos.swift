#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// sin x and cos x together, inlined (no library calls), for the e^{iF} step of the simulator,
/// which otherwise spends most of a job in libm.
///
/// Method (fdlibm's): x = k·π/2 + r with k = round(2x/π) (to nearest, ties to even) and r reduced against π/2 split in three
/// parts (Cody–Waite; k·P1 is exact for |k| < 2^20), so |r| ≤ π/4 with an error of a few ulp of
/// r; then sin r and cos r by fdlibm's minimax polynomials (error below 1 ulp on [−π/4, π/4]);
/// the quadrant k mod 4 picks (±sin r, ±cos r). For |x| > 2^19·π/2 (far beyond any phase the
/// simulator meets) it calls libm.
@inline(__always)
func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
    guard abs(x) < 823_549.6 else { return (sin(x), cos(x)) }   // 2^19 · π/2
    // k = round(2x/π) by adding and subtracting 1.5·2^52 (no libm call: baseline x86-64 has
    // no rounding instruction); the low bits of the sum's bit pattern are k mod 4.
    let shifted = x * 0.636_619_772_367_581_343_08 + 6_755_399_441_055_744.0
    let k = shifted - 6_755_399_441_055_744.0
    // π/2 = P1 + P2 + P3 (fdlibm's pio2_1, pio2_2, pio2_3)
    let r = ((x - k * 1.570_796_326_734_125_614_17) - k * 6.077_100_506_303_965_976_60e-11)
        - k * 2.022_266_248_711_166_455_80e-21
    let z = r * r
    let s = r + r * z * (-1.666_666_666_666_663_243_48e-01 + z * (8.333_333_333_322_489_461_24e-03
        + z * (-1.984_126_982_985_794_931_34e-04 + z * (2.755_731_370_707_006_767_89e-06
        + z * (-2.505_076_025_340_686_341_95e-08 + z * 1.589_690_995_211_550_102_21e-10)))))
    let c = 1 - 0.5 * z + z * z * (4.166_666_666_666_660_190_37e-02 + z * (-1.388_888_888_887_410_957_49e-03
        + z * (2.480_158_728_947_672_941_78e-05 + z * (-2.755_731_435_139_066_330_35e-07
        + z * (2.087_572_321_298_174_827_90e-09 + z * -1.135_964_755_778_819_482_65e-11)))))
    switch shifted.bitPattern & 3 {
    case 0: return (s, c)
    case 1: return (c, -s)
    case 2: return (-s, -c)
    default: return (-c, s)
    }
}
