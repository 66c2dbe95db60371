// Multi-head self-attention for inference (no dropout, nothing kept for backward), mirroring HF
// eager attention: scores = q·kᵀ/√HS, padded keys = float32's lowest finite value, softmax, ·v.
// Compared with the training kernel it never materialises the (B, NH, T, T) probabilities:
// each (b, h) block uses a T×T scratch that stays in cache, and the softmax rows run in
// CKernelsPointwise (expNeg's formula, AVX-512 / AVX2 by cpuid). Its reference is attentionForward
// (Attention.swift; EncoderTests' InferenceAttentionTests). Keys after a sequence's
// last real token are left out of both products: their weight is exactly 0 in float32.
// Layout: q, k, v, out are (B, T, C), head h at channels [h·HS, (h+1)·HS).
import CKernelsPointwise
import Dispatch

/// out = softmax(mask(q·kᵀ/√HS))·v. `scratch` holds `kernelWorkerCount` × T×T floats.
public func inferenceAttention(out: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>,
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
        sgemm(transA: false, transB: true, m: t, n: tk, k: hs, alpha: scale,
              a: q + off, lda: c, b: k + off, ldb: c, beta: 0, c: s, ldc: tk)
        docket_masked_softmax_rows(s, Int64(t), Int64(tk), Int64(tk), km)  // CKernelsPointwise
        sgemm(transA: false, transB: false, m: t, n: hs, k: tk, alpha: 1,
              a: s, lda: tk, b: v + off, ldb: c, beta: 0, c: out + off, ldc: c)
    }
    // When products are held to one core the caller parallelises (several workers): stay serial.
    let workers = GEMMThreads.count > 1 ? min(kernelWorkerCount, blocks) : 1
    guard workers > 1 else {
        for bh in 0..<blocks { block(bh, scratch) }
        return
    }
    let chunk = (blocks + workers - 1) / workers
    withoutActuallyEscaping(block) { block in
        let box = UncheckedBox(block), scratchBox = UncheckedBox(scratch)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for bh in (w * chunk)..<min(blocks, (w + 1) * chunk) { box.value(bh, scratchBox.value + w * t * t) }
        }
    }
}

/// out (B, C) = softmax(mask(q0·kᵀ/√HS))·v per head for one query per sequence (token 0).
/// q0 is (B, C); k, v are (B, T, C); `scores` holds at least T floats. Keys after a sequence's
/// last real token are left out (weight exactly 0 in float32, as in `inferenceAttention`).
public func classTokenAttention(out: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>,
                         v: UnsafePointer<Float>, keyMask: UnsafePointer<Int32>, scores s: UnsafeMutablePointer<Float>,
                         batch: Int, seqLen t: Int, channels c: Int, heads: Int) {
    let hs = c / heads, scale = 1 / Float(hs).squareRoot()
    for b in 0..<batch {
        let km = keyMask + b * t
        var tk = t
        while tk > 0 && km[tk - 1] == 0 { tk -= 1 }
        if tk == 0 { tk = t }  // all padding: HF gives uniform weights over every key
        for h in 0..<heads {
            let qh = q + b * c + h * hs, kh = k + b * t * c + h * hs, vh = v + b * t * c + h * hs
            for j in 0..<tk {
                var dot: Float = 0
                for d in 0..<hs { dot += qh[d] * kh[j * c + d] }
                s[j] = km[j] == 0 ? -Float.greatestFiniteMagnitude : dot * scale
            }
            docket_masked_softmax_rows(s, 1, Int64(tk), Int64(tk), nil)
            let oh = out + b * c + h * hs
            oh.update(repeating: 0, count: hs)
            for j in 0..<tk {
                let p = s[j], vj = vh + j * c
                for d in 0..<hs { oh[d] += p * vj[d] }
            }
        }
    }
}
