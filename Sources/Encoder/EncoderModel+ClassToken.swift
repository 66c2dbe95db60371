// The last block when only token 0 of each sequence is read: inference with `cls` pooling
// (HF's `x[:, 0]`, DistilBERT's pre-classifier and BERT's pooler input). Token 0's output
// depends on every token's key and value but on no other token's query, attention output or
// feed-forward, so the block projects K and V over all B·T rows and everything else over the
// B class-token rows only: about 10/12 of one layer's matrix work is skipped (14% of MiniLM's
// forward at T = 128). The result equals the full block's row 0 up to float rounding of
// products of a different height (same tolerances as the parity fixtures). Rows b·T + t with
// t > 0 of the output are left as they were: nothing reads them.
import Kernels

extension EncoderModel {
    /// Whether the last block may run for token 0 only: inference, token-0 pooling, a
    /// classification head, nobody reading per-layer hidden states, and room in the scratch
    /// buffers (T ≥ 2).
    func lastBlockReadsClassTokenOnly(_ ws: EncoderWorkspace, observed: Bool) -> Bool {
        !ws.training && !observed && objective == .sequenceClassification && config.pooling == .cls && ws.seqLen > 1
    }

    /// Block l for the class tokens only. Scratch use of the (N, C) activation buffers
    /// (N = B·T ≥ 2B): q rows [0, B) = token-0 queries, q rows [B, 2B) = token-0 inputs x0.
    func classTokenBlock(_ l: Int, input x: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
                         acts a: BlockActivations, ws: EncoderWorkspace) throws {
        let b = ws.batch, t = ws.seqLen, c = config.hiddenSize
        let P = parameters.baseAddress, w = offsets.blocks[l]
        func at(_ tensor: BlockTensor) -> UnsafeMutablePointer<Float> { P + w[tensor.rawValue] }
        try project(l, .keyWeight, out: a.k, input: x, rows: b * t, ws: ws)
        try project(l, .valueWeight, out: a.v, input: x, rows: b * t, ws: ws)
        let q0 = a.q, x0 = a.q + b * c
        for s in 0..<b { (x0 + s * c).update(from: x + s * t * c, count: c) }
        try project(l, .queryWeight, out: q0, input: x0, rows: b, ws: ws)
        classTokenAttention(out: a.attn, q: q0, k: a.k, v: a.v, keyMask: ws.keyMask, scores: a.probs,
                            batch: b, seqLen: t, channels: c, heads: config.numHeads)
        try project(l, .attnOutWeight, out: a.resid1, input: a.attn, rows: b, ws: ws)
        residualLayerNormForward(out: a.norm1, mean: a.mean1, rstd: a.rstd1, x: a.resid1, residual: x0,
                                 gamma: at(.attnNormWeight), beta: at(.attnNormBias), rows: b, dim: c, eps: config.layerNormEps)
        try feedForwardIn(l, acts: a, rows: b, ws: ws)
        try project(l, .ffnOutWeight, out: a.resid2, input: a.ffnAct, rows: b, ws: ws)
        residualLayerNormForward(out: a.attn, mean: a.mean2, rstd: a.rstd2, x: a.resid2, residual: a.norm1,
                                 gamma: at(.outNormWeight), beta: at(.outNormBias), rows: b, dim: c, eps: config.layerNormEps)
        for s in 0..<b { (output + s * t * c).update(from: a.attn + s * c, count: c) }
    }
}
