// Vectorised exp and the normal CDF over SIMD16<Float> for softmax and GELU. Plain SIMD arithmetic only
// (no addingProduct: without compiler flags Swift targets baseline x86-64, where fused
// multiply-add becomes a libm call per lane).

/// e^x, relative error ≲ 2 ulp for x in [−87.3, 88.7]; 0 below (expf gives denormals
/// there), +inf above. Cody–Waite reduction x = n·ln2 + r, |r| ≤ ln2/2, a degree-7 Taylor
/// polynomial for e^r (truncation r⁸/8! < 1.1e-9), and 2ⁿ = 2^(n/2)·2^(n−n/2) built in the
/// exponent bits (two factors so n = 128 does not overflow).
@inline(__always)
func simdExp(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let lo = SIMD16<Float>(repeating: -87.33654), hi = SIMD16<Float>(repeating: 88.72283)
    var xc = x.replacing(with: lo, where: x .< lo)
    xc.replace(with: hi, where: xc .> hi)
    // Round x·log2(e) to nearest with the 1.5·2²³ trick: the sum's low mantissa bits hold n.
    let magic = SIMD16<Float>(repeating: 12_582_912)
    let shifted = xc * 1.442695040888963 + magic
    let n = shifted - magic
    let nInt = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
    let r = (xc - n * 0.693145751953125) - n * 1.428606765330187e-06
    var p = SIMD16<Float>(repeating: 1.0 / 5040)
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let half = nInt &>> 1
    let scale1 = unsafeBitCast((half &+ 127) &<< 23, to: SIMD16<Float>.self)
    let scale2 = unsafeBitCast((nInt &- half &+ 127) &<< 23, to: SIMD16<Float>.self)
    var result = p * scale1 * scale2
    result.replace(with: 0, where: x .< lo)
    result.replace(with: .infinity, where: x .> hi)
    return result
}

/// e^x for x ≤ 0 (max-subtracted scores, −x²/2): Cody–Waite reduction x = n·ln2 + r,
/// |r| ≤ ln2/2, degree-7 Taylor for e^r, 2^n built in the exponent bits; exactly 0 below −87
/// (as expf underflows there). Scalar on purpose: loops over it are vectorised by the
/// compiler (1.4 ns/element vs 5 for expf). Max relative error ≈ 1e-7 against expf.
@inlinable @inline(__always)
public func expNeg(_ x: Float) -> Float {
    let xc = max(x, -87.0)
    let v = xc * 1.4426950408889634 + 12582912.0  // 1.5·2^23: the low mantissa bits hold round(x·log2 e)
    let n = v - 12582912.0
    let r = (xc - n * 0.693145751953125) - n * 1.428606765330187e-06
    let p = 1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664
        + r * (0.008333333333333333 + r * (0.001388888888888889 + r * 0.0001984126984126984))))))
    let e = p * Float(bitPattern: (v.bitPattern &- 0x4B40_0000 &+ 127) << 23)
    return x < -87 ? 0 : e
}

/// In place over one row: row(n) = exp(row − max) / Σ exp(row − max), max-subtracted as
/// PyTorch's softmax. Plain loops the compiler vectorises (faster than the SIMD16 simdExp).
@inlinable @inline(__always)
public func softmaxInPlace(_ row: UnsafeMutablePointer<Float>, _ n: Int) {
    guard n > 0 else { return }
    // max over 8 independent lanes (plain compares: the generic SIMD pointwiseMax is not inlined)
    let lo = -Float.infinity
    var lanes = (lo, lo, lo, lo, lo, lo, lo, lo), j = 0
    while j + 8 <= n {
        let r = row + j
        lanes.0 = r[0] > lanes.0 ? r[0] : lanes.0; lanes.1 = r[1] > lanes.1 ? r[1] : lanes.1
        lanes.2 = r[2] > lanes.2 ? r[2] : lanes.2; lanes.3 = r[3] > lanes.3 ? r[3] : lanes.3
        lanes.4 = r[4] > lanes.4 ? r[4] : lanes.4; lanes.5 = r[5] > lanes.5 ? r[5] : lanes.5
        lanes.6 = r[6] > lanes.6 ? r[6] : lanes.6; lanes.7 = r[7] > lanes.7 ? r[7] : lanes.7
        j += 8
    }
    var m = max(max(max(lanes.0, lanes.1), max(lanes.2, lanes.3)), max(max(lanes.4, lanes.5), max(lanes.6, lanes.7)))
    while j < n { m = max(m, row[j]); j += 1 }
    for i in 0..<n { row[i] = expNeg(row[i] - m) }
    var sv = SIMD8<Float>(repeating: 0)
    j = 0
    while j + 8 <= n { sv += UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self); j += 8 }
    var total: Float = 0
    for i in 0..<8 { total += sv[i] }
    while j < n { total += row[j]; j += 1 }
    let inv = 1 / total
    for i in 0..<n { row[i] *= inv }
}

/// The standard normal CDF Φ(x) = ½·erfc(−x/√2) and density φ(x) = e^(−x²/2)/√(2π), for
/// exact GELU. With z = |x|/√2: ½·erfc(z) = ½·e^(−z²)·R(z), R(z) = erfc(z)·e^(z²) fitted
/// (least squares in double against scipy.special.erfcx, relative weights) as t·P₉(t),
/// t = 1/(1 + z/2); evaluated in float32 its relative error is ≤ 3.1e-7 for z in [0, 10].
/// Φ = ½erfc(z) for x < 0 (full relative accuracy in the tail), 1 − ½erfc(z) otherwise.
@inline(__always)
func simdNormalCDFAndPDF(_ x: SIMD16<Float>) -> (cdf: SIMD16<Float>, pdf: SIMD16<Float>) {
    let ax = x.replacing(with: -x, where: x .< 0)
    let z = ax * 0.70710678118654752
    let t = 1 / (1 + 0.5 * z)
    var r = SIMD16<Float>(repeating: 0.008190947584807873)
    r = r * t - 0.10324935615062714
    r = r * t + 0.38703957200050354
    r = r * t - 0.6208785772323608
    r = r * t + 0.38580483198165894
    r = r * t - 0.08204634487628937
    r = r * t + 0.2208145260810852
    r = r * t + 0.23948097229003906
    r = r * t + 0.28277552127838135
    r = r * t + 0.28206783533096313
    let gauss = simdExp(-z * z)                     // e^(−x²/2)
    let tail = 0.5 * gauss * r * t                  // ½·erfc(|x|/√2) = Φ(−|x|)
    let cdf = tail.replacing(with: 1 - tail, where: x .>= 0)
    return (cdf, gauss * 0.39894228040143268)
}

/// Loads 16 floats (unaligned).
@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

/// Stores 16 floats (unaligned).
@inline(__always)
func store16(_ p: UnsafeMutablePointer<Float>, _ v: SIMD16<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// Loads n < 16 floats, zero-filling the remaining lanes.
@inline(__always)
func loadPartial(_ p: UnsafePointer<Float>, _ n: Int, fill: Float = 0) -> SIMD16<Float> {
    var v = SIMD16<Float>(repeating: fill)
    for j in 0..<n { v[j] = p[j] }
    return v
}

/// Stores the first n < 16 lanes.
@inline(__always)
func storePartial(_ p: UnsafeMutablePointer<Float>, _ v: SIMD16<Float>, _ n: Int) {
    for j in 0..<n { p[j] = v[j] }
}

/// Applies `f` to 16-float blocks of src(count) into dst(count) (tail zero-padded).
@inline(__always)
func mapBlocks(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ count: Int,
               _ f: (SIMD16<Float>, Int) -> SIMD16<Float>) {
    var i = 0
    while i + 16 <= count { store16(dst + i, f(load16(src + i), i)); i += 16 }
    if i < count { storePartial(dst + i, f(loadPartial(src + i, count - i), i), count - i) }
}
