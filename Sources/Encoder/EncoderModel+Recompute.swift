// Activations a training workspace does not keep per layer, rebuilt in backward from what
// it does keep (see EncoderWorkspace.swift). Each rebuild runs the forward's own code on the
// forward's own inputs, so the values are bit-identical to the ones forward used:
//   layer input x_l      = LN2 output of layer l−1, from its LN2 input and saved statistics
//   h_l  (LN1 output)    from the LN1 input and saved statistics
//   probs, context, mask attention forward on q, k, v with the RNG state saved before it
//                        (ActivationRecompute.attention and up)
//   ffnIn, GELU(ffnIn)   h_l·W1ᵀ + b1, one sgemm (.all)
import DocketBase
import Kernels

extension EncoderModel {
    /// ffnIn(N, F) = h·W1ᵀ + b1 and act = GELU(ffnIn), bias and GELU fused in one pass
    /// (forward's code, also backward's rebuild: training workspaces always project in FP32).
    /// int8 inference applies bias and GELU in the GEMM's epilogue instead (act = ffnIn there).
    func feedForwardIn(_ l: Int, acts a: BlockActivations, rows n: Int, ws: EncoderWorkspace) throws {
        let bias = parameters.baseAddress + offsets.blocks[l][BlockTensor.ffnInBias.rawValue]
        if !ws.training, case let .int8(w)? = reducedBlocks?[l].byTensor[.ffnInWeight] {
            return try int8LinearForward(out: a.ffnAct, input: a.norm1, weight: w, bias: bias, rows: n, gelu: true)
        }
        try project(l, .ffnInWeight, out: a.ffnIn, input: a.norm1, rows: n, ws: ws, bias: false)
        biasGELUForward(pre: a.ffnIn, act: a.ffnAct, bias: bias, rows: n, cols: config.intermediateSize)
    }

    /// Layer l's input as forward saw it: the embeddings output for l = 0, else layer l−1's
    /// LN2 output rebuilt into hidden[1].
    func rebuildLayerInput(_ l: Int, _ ws: EncoderWorkspace) -> UnsafeMutablePointer<Float> {
        guard l > 0 else { return ws.hidden[0] }
        let prev = ws.blocks[l - 1], w = offsets.blocks[l - 1], P = parameters.baseAddress
        layerNormFromStatistics(out: ws.hidden[1], x: prev.resid2, mean: prev.mean2, rstd: prev.rstd2,
                                gamma: P + w[BlockTensor.outNormWeight.rawValue], beta: P + w[BlockTensor.outNormBias.rawValue],
                                rows: ws.batch * ws.seqLen, dim: config.hiddenSize)
        return ws.hidden[1]
    }

    /// Layer l's LN1 output (a.norm1) and, unless kept per layer, its FFN input and GELU
    /// output (a.ffnIn, a.ffnAct); with a kept FFN input only the activation is recomputed.
    func rebuildFeedForwardInputs(_ l: Int, _ ws: EncoderWorkspace) throws {
        let a = ws.blocks[l], w = offsets.blocks[l], P = parameters.baseAddress, n = ws.batch * ws.seqLen
        layerNormFromStatistics(out: a.norm1, x: a.resid1, mean: a.mean1, rstd: a.rstd1,
                                gamma: P + w[BlockTensor.attnNormWeight.rawValue], beta: P + w[BlockTensor.attnNormBias.rawValue],
                                rows: n, dim: config.hiddenSize)
        if ws.recompute >= .all {
            try feedForwardIn(l, acts: a, rows: n, ws: ws)
        } else {
            geluForwardFit(out: a.ffnAct, input: a.ffnIn, count: n * config.intermediateSize)
        }
    }

    /// Layer l's attention probabilities (pre-dropout), dropout mask and context (a.probs,
    /// a.attnDropMask, a.attn), drawn again from the RNG state saved before forward's call.
    func rebuildAttention(_ l: Int, _ ws: EncoderWorkspace) throws {
        var saved = ws.attentionRNG[l]
        try trainingAttention(l, ws, rng: &saved)
    }

    /// Attention that keeps its probabilities for backward (a training workspace), with
    /// dropout drawn from `rng` in training mode. Without an RNG (inference on a training
    /// workspace) dropout is off and the kernel draws nothing: its generator is a placeholder.
    func trainingAttention(_ l: Int, _ ws: EncoderWorkspace, rng: inout SeededRNG?) throws {
        let a = ws.blocks[l]
        let attnP = ws.dropoutActive && rng != nil ? config.attentionDropout : 0
        var draw = rng ?? SeededRNG(seed: 0)  // untouched when attnP is 0
        try attentionForward(out: a.attn, probs: a.probs, q: a.q, k: a.k, v: a.v, keyMask: ws.keyMask,
                             batch: ws.batch, seqLen: ws.seqLen, channels: config.hiddenSize, heads: config.numHeads,
                             dropoutP: attnP, dropoutMask: attnP > 0 ? a.attnDropMask : nil, rng: &draw)
        if rng != nil { rng = draw }
    }
}
