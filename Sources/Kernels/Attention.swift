// Multi-head scaled dot-product self-attention with a key-padding mask, mirroring HF eager
// attention (DistilBERT / BERT): scores = q·kᵀ/√HS, padded keys set to float32's lowest finite
// value (so an all-padding row stays finite and softmaxes to uniform), softmax, optional
// dropout on the probabilities, ·v. The 1/√HS is applied as sgemm's alpha on q·kᵀ, which
// equals both DistilBERT's (q/√HS)·kᵀ and BERT's (q·kᵀ)/√HS up to float32 rounding.
//
// Layout: q, k, v, out are (B, T, C) with head h at channels [h·HS, (h+1)·HS), HS = C/NH.
// Each (b, h) block is an sgemm on strided heads (leading dimension C), no copies; keys after
// a sequence's last real token are left out of the products (their weights are exactly 0).
// The (b, h) blocks are split over the cores, every product a single-threaded oneDNN sgemm.
import DocketBase

/// out(B,T,C) = softmax(mask(q·kᵀ/√HS))·v per head; probs(B,NH,T,T) keeps the pre-dropout
/// softmax for backward; keyMask(B,T) 1 = keep, 0 = pad (nil: no padding).
/// dropoutP > 0 needs dropoutMask(B,NH,T,T), drawn here from `rng` (serially, before the
/// parallel work, so masks are independent of the thread count).
public func attentionForward(
    out: UnsafeMutablePointer<Float>, probs: UnsafeMutablePointer<Float>,
    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
    keyMask: UnsafePointer<Int32>?, batch: Int, seqLen: Int, channels: Int, heads: Int,
    dropoutP: Float = 0, dropoutMask: UnsafeMutablePointer<UInt8>? = nil, rng: inout SeededRNG
) throws {
    let g = try AttentionGeometry(batch: batch, seqLen: seqLen, channels: channels, heads: heads)
    guard dropoutP >= 0, dropoutP < 1 else { throw KernelsError.invalidProbability(dropoutP) }
    let mask: UnsafeMutablePointer<UInt8>? = dropoutP > 0 ? dropoutMask : nil
    if dropoutP > 0 {
        guard let mask else { throw KernelsError.missingBuffer("attention dropoutMask") }
        drawDropoutMask(mask, count: g.blocks * g.tt, p: dropoutP, rng: &rng)
    }
    g.forEachBlock(scratchPerBlock: g.tt) { bh, scratch in
        let b = bh / heads, h = bh % heads
        let off = b * seqLen * channels + h * g.hs
        let p = probs + bh * g.tt
        let rowMask = keyMask.map { $0 + b * seqLen }
        let n = g.activeKeys(rowMask)
        let T = seqLen, N = n, C = channels, HS = g.hs
        // scores(T, n) = scale · q · k[0..<n]ᵀ, stored with row stride T
        sgemm(transA: false, transB: true, m: T, n: N, k: HS, alpha: g.scale,
              a: q + off, lda: C, b: k + off, ldb: C, beta: 0, c: p, ldc: T)
        maskedSoftmaxRows(p, rows: seqLen, cols: n, stride: seqLen, keyMask: rowMask)
        var weights = UnsafePointer(p)
        if let mask {
            applyDropoutMaskSerial(scratch, p, mask + bh * g.tt, g.tt, dropoutP)
            weights = UnsafePointer(scratch)
        }
        sgemm(transA: false, transB: false, m: T, n: HS, k: N, alpha: 1,
              a: weights, lda: T, b: v + off, ldb: C, beta: 0, c: out + off, ldc: C)
    }
}

/// Accumulates dq, dk, dv (B,T,C) from dOut (B,T,C), using the forward's probs (pre-dropout)
/// and dropout mask. Masked keys get zero score gradient (masked_fill has no gradient there).
public func attentionBackward(
    dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
    dOut: UnsafePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>,
    v: UnsafePointer<Float>, probs: UnsafePointer<Float>, keyMask: UnsafePointer<Int32>?,
    batch: Int, seqLen: Int, channels: Int, heads: Int,
    dropoutP: Float = 0, dropoutMask: UnsafePointer<UInt8>? = nil
) throws {
    let g = try AttentionGeometry(batch: batch, seqLen: seqLen, channels: channels, heads: heads)
    guard dropoutP >= 0, dropoutP < 1 else { throw KernelsError.invalidProbability(dropoutP) }
    if dropoutP > 0, dropoutMask == nil { throw KernelsError.missingBuffer("attention dropoutMask") }
    let mask = dropoutP > 0 ? dropoutMask : nil
    g.forEachBlock(scratchPerBlock: 2 * g.tt) { bh, scratch in
        let b = bh / heads, h = bh % heads
        let off = b * seqLen * channels + h * g.hs
        let p = probs + bh * g.tt
        let dropped = scratch, dP = scratch + g.tt
        let rowMask = keyMask.map { $0 + b * seqLen }
        let n = g.activeKeys(rowMask)
        let T = seqLen, N = n, C = channels, HS = g.hs
        var weights = p
        if let mask {
            applyDropoutMaskSerial(dropped, p, mask + bh * g.tt, g.tt, dropoutP)
            weights = UnsafePointer(dropped)
        }
        // dv[0..<n] += weights[:, 0..<n]ᵀ · dOut (keys ≥ n had zero weight)
        sgemm(transA: true, transB: false, m: N, n: HS, k: T, alpha: 1,
              a: weights, lda: T, b: dOut + off, ldb: C, beta: 1, c: dv + off, ldc: C)
        // dWeights(T, n) = dOut · v[0..<n]ᵀ, then back through dropout
        sgemm(transA: false, transB: true, m: T, n: N, k: HS, alpha: 1,
              a: dOut + off, lda: C, b: v + off, ldb: C, beta: 0, c: dP, ldc: T)
        if let mask {
            for i in 0..<seqLen {
                applyDropoutMaskSerial(dP + i * seqLen, dP + i * seqLen, mask + bh * g.tt + i * seqLen, n, dropoutP)
            }
        }
        softmaxBackwardRows(dP, probs: p, rows: seqLen, cols: n, stride: seqLen, keyMask: rowMask)
        // dq += scale · dS · k[0..<n];  dk[0..<n] += scale · dSᵀ · q
        sgemm(transA: false, transB: false, m: T, n: HS, k: N, alpha: g.scale,
              a: dP, lda: T, b: k + off, ldb: C, beta: 1, c: dq + off, ldc: C)
        sgemm(transA: true, transB: false, m: N, n: HS, k: T, alpha: g.scale,
              a: dP, lda: T, b: q + off, ldb: C, beta: 1, c: dk + off, ldc: C)
    }
}

/// Sizes shared by forward and backward, validated once.
struct AttentionGeometry {
    let blocks: Int, tt: Int, hs: Int, scale: Float, seqLen: Int

    init(batch: Int, seqLen: Int, channels: Int, heads: Int) throws {
        guard batch >= 0, seqLen >= 0, heads > 0, channels > 0, channels % heads == 0 else {
            throw KernelsError.invalidShape(name: "attention (batch, seqLen, channels, heads)",
                                            shape: [batch, seqLen, channels, heads])
        }
        blocks = batch * heads; tt = seqLen * seqLen; hs = channels / heads
        scale = 1 / Float(hs).squareRoot(); self.seqLen = seqLen
    }

    /// Keys that can carry weight in a sequence: up to and including its last real key.
    /// Keys after it are padding, whose probabilities are exactly 0 (exp underflows) and whose
    /// gradients are 0, so every product skips them. An all-padding sequence keeps all T keys
    /// (its softmax is uniform over them).
    func activeKeys(_ rowMask: UnsafePointer<Int32>?) -> Int {
        guard let rowMask else { return seqLen }
        var last = seqLen - 1
        while last >= 0 && rowMask[last] == 0 { last -= 1 }
        return last < 0 ? seqLen : last + 1
    }

    /// Runs body(bh, scratch) for every (b, h) block, split over the cores with per-worker
    /// scratch.
    func forEachBlock(scratchPerBlock: Int,
                      _ body: (Int, UnsafeMutablePointer<Float>) -> Void) {
        guard blocks > 0, seqLen > 0 else { return }
        // Measured with OpenBLAS (docket bench kernels --only attention, B=16 T=128 NH=12
        // HS=64): blocks split over 2 workers with 1-thread sgemm 21.7 ms; blocks in turn with
        // the library's 2 threads inside each sgemm 49.5 ms.
        let workers = blocks >= 2 && tt * hs >= 4096 ? min(kernelWorkerCount, blocks) : 1
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(1, workers * scratchPerBlock))
        defer { scratch.deallocate() }
        if workers == 1 {
            for bh in 0..<blocks { body(bh, scratch) }
            return
        }
        let chunk = (blocks + workers - 1) / workers
        parallelRanges(workers, costPerItem: 1 << 20) { ws in
            for w in ws {
                for bh in (w * chunk)..<min(blocks, (w + 1) * chunk) {
                    body(bh, scratch + w * scratchPerBlock)
                }
            }
        }
    }
}
