// Multi-head self-attention for inference (no dropout, nothing kept for backward), mirroring HF
// eager attention: scores = q·kᵀ/√HS, padded keys = float32's lowest finite value, softmax, ·v.
// Compared with the training kernel it never materialises the (B, NH, T, T) probabilities:
// each (b, h) block uses a T×T scratch that stays in cache, and the softmax uses `expNeg`
// below (vectorised by the compiler; 1.4 ns/element vs 5 for expf). Keys after a sequence's
// last real token are left out of both products: their weight is exactly 0 in float32.
// Layout: q, k, v, out are (B, T, C), head h at channels [h·HS, (h+1)·HS).
import CBLAS
import Dispatch
import Kernels

/// e^x for x ≤ 0 (max-subtracted scores; below −87 it flushes towards 0): Cody–Waite
/// reduction x = n·ln2 + r, |r| ≤ ln2/2, degree-7 Taylor for e^r, 2^n built in the exponent
/// bits. Max relative error ≈ 1e-7 against expf where the result is ≥ 1e-30.
@inline(__always)
func expNeg(_ x: Float) -> Float {
    let xc = max(x, -87.0)
    let v = xc * 1.4426950408889634 + 12582912.0  // 1.5·2^23: the low mantissa bits hold round(x·log2 e)
    let n = v - 12582912.0
    let r = (xc - n * 0.693145751953125) - n * 1.428606765330187e-06
    let p = 1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664
        + r * (0.008333333333333333 + r * (0.001388888888888889 + r * 0.0001984126984126984))))))
    return p * Float(bitPattern: (v.bitPattern &- 0x4B40_0000 &+ 127) << 23)
}

/// out = softmax(mask(q·kᵀ/√HS))·v. `scratch` holds `encoderWorkerCount` × T×T floats.
func inferenceAttention(out: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>,
                        v: UnsafePointer<Float>, keyMask: UnsafePointer<Int32>, scratch: UnsafeMutablePointer<Float>,
                        batch: Int, seqLen t: Int, channels c: Int, heads: Int) {
    let hs = c / heads, blocks = batch * heads
    let scale = 1 / Float(hs).squareRoot()
    func block(_ bh: Int, _ s: UnsafeMutablePointer<Float>) {
        let b = bh / heads, h = bh % heads
        let km = keyMask + b * t
        var tk = t
        while tk > 0 && km[tk - 1] == 0 { tk -= 1 }
        if tk == 0 { tk = t }  // all padding: HF gives uniform weights over every key
        let off = b * t * c + h * hs
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(t), Int32(tk), Int32(hs), scale,
                    q + off, Int32(c), k + off, Int32(c), 0, s, Int32(tk))
        for i in 0..<t { maskedSoftmaxRow(s + i * tk, tk, km) }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(t), Int32(hs), Int32(tk), 1,
                    s, Int32(tk), v + off, Int32(c), 0, out + off, Int32(c))
    }
    // When BLAS is already single-threaded the caller parallelises (several workers): stay serial.
    let previous = BLASThreads.count
    let workers = previous > 1 ? min(encoderWorkerCount, blocks) : 1
    guard workers > 1 else {
        for bh in 0..<blocks { block(bh, scratch) }
        return
    }
    BLASThreads.set(1)
    defer { BLASThreads.set(previous) }
    let chunk = (blocks + workers - 1) / workers
    withoutActuallyEscaping(block) { block in
        let box = UncheckedBox(block), scratchBox = UncheckedBox(scratch)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for bh in (w * chunk)..<min(blocks, (w + 1) * chunk) { box.value(bh, scratchBox.value + w * t * t) }
        }
    }
}

/// In place over one row of n scores: masked keys → lowest finite value, then softmax.
@inline(__always)
private func maskedSoftmaxRow(_ row: UnsafeMutablePointer<Float>, _ n: Int, _ km: UnsafePointer<Int32>) {
    for j in 0..<n where km[j] == 0 { row[j] = -Float.greatestFiniteMagnitude }
    // max over 8 independent lanes (plain compares: the generic SIMD pointwiseMax is not inlined)
    var lanes = (Float, Float, Float, Float, Float, Float, Float, Float)(
        -.greatestFiniteMagnitude, -.greatestFiniteMagnitude, -.greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        -.greatestFiniteMagnitude, -.greatestFiniteMagnitude, -.greatestFiniteMagnitude, -.greatestFiniteMagnitude)
    var j = 0
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
    var sv = SIMD8<Float>(repeating: 0)  // SIMD8 `+=` is inlined (unlike pointwiseMax)
    j = 0
    while j + 8 <= n { sv += UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self); j += 8 }
    var total: Float = 0
    for i in 0..<8 { total += sv[i] }
    while j < n { total += row[j]; j += 1 }
    let inv = 1 / total
    for i in 0..<n { row[i] *= inv }
}
