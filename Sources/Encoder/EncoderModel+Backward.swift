// Backward pass of the whole model (issue 5): the head, every block (last to first) and the
// embeddings (word, position and token-type tables), ACCUMULATING into a gradient buffer with
// the parameters' layout. Each step names the forward line it differentiates. Uses the
// activations the last forward stored in a training workspace, including its dropout masks.
import Kernels

extension EncoderModel {
    /// Accumulates ∂loss/∂θ into `gradients` given ∂loss/∂logits (B × numLabels) of the last
    /// forward on `workspace` (which must be a training workspace).
    public func backward(dLogits: UnsafePointer<Float>, workspace ws: EncoderWorkspace,
                         gradients: ParameterBuffer) throws {
        guard objective == .sequenceClassification else {
            throw EncoderError.invalidInput("a masked-LM model has no classification head to differentiate")
        }
        try checkBackward(ws, gradients)
        let n = ws.batch * ws.seqLen, c = config.hiddenSize
        let dX = ws.gradScratch[0]  // ∂/∂(current block output), (N, C)
        dX.update(repeating: 0, count: n * c)
        headBackward(dLogits: dLogits, dLast: dX, ws: ws, G: gradients.baseAddress)
        try encoderBackward(ws: ws, gradients: gradients)
    }

    /// Checks `ws` holds a completed training forward of this model and `gradients` its layout.
    func checkBackward(_ ws: EncoderWorkspace, _ gradients: ParameterBuffer) throws {
        guard ws.training else { throw EncoderError.invalidInput("backward needs a workspace made with training: true") }
        try requireFP32Weights(for: "backward")
        guard ws.shape == WorkspaceShape(config) else {
            throw EncoderError.invalidInput("the workspace was made for a model of other sizes")
        }
        guard ws.batch > 0, ws.forwardComplete else {
            throw EncoderError.invalidInput("backward needs a completed forward on this workspace")
        }
        guard gradients.entries == parameters.entries else {
            throw EncoderError.invalidInput("the gradient buffer does not have the model's layout (use makeGradientBuffer())")
        }
    }

    /// Blocks (last to first) and embeddings, from ∂(last hidden state) in gradScratch[0].
    func encoderBackward(ws: EncoderWorkspace, gradients: ParameterBuffer) throws {
        let dX = ws.gradScratch[0]
        for l in stride(from: config.numLayers - 1, through: 0, by: -1) {
            try blockBackward(l, dOut: dX, ws: ws, G: gradients.baseAddress)
        }
        try embeddingsBackward(dX0: dX, ws: ws, G: gradients.baseAddress)
    }

    /// dropout backward: out = mask·x/(1−p) ⇒ returns ∂x (in `into`, zeroed first), or `d`
    /// itself when the forward applied no dropout at this site.
    private func dropoutGrad(_ d: UnsafeMutablePointer<Float>, mask: UnsafePointer<UInt8>, count: Int, p: Float,
                             into: UnsafeMutablePointer<Float>, ws: EncoderWorkspace) -> UnsafeMutablePointer<Float> {
        guard ws.dropoutActive && p > 0 else { return d }
        into.update(repeating: 0, count: count)
        dropoutBackward(dInput: into, dOut: d, mask: mask, count: count, p: p)
        return into
    }

    /// logits = drop·Wcᵀ + bc;  drop = dropout(act);  act = tanh|ReLU(pre);  pre = cls·Wpᵀ + bp;
    /// cls = pool(last) (token 0, masked mean or max). Accumulates ∂last into `dLast` (zeroed by the caller).
    private func headBackward(dLogits: UnsafePointer<Float>, dLast: UnsafeMutablePointer<Float>,
                              ws: EncoderWorkspace, G: UnsafeMutablePointer<Float>) {
        let b = ws.batch, t = ws.seqLen, c = config.hiddenSize, k = config.numLabels
        let P = parameters.baseAddress, o = offsets, s = ws.gradScratch
        let (dDrop, dAlt, dCls) = (s[6], s[7], s[8])
        dDrop.update(repeating: 0, count: b * c)
        linearBackward(dInput: dDrop, dWeight: G + o.classifierWeight, dBias: G + o.classifierBias, dOut: dLogits,
                       input: ws.headDrop, weight: P + o.classifierWeight, rows: b, inFeatures: c, outFeatures: k)
        let dAct = dropoutGrad(dDrop, mask: ws.headMask, count: b * c, p: config.classifierDropout, into: dAlt, ws: ws)
        let dPre = dAct == dDrop ? dAlt : dDrop
        dPre.update(repeating: 0, count: b * c)
        if config.family == .bert {
            tanhBackward(dInput: dPre, dOut: dAct, output: ws.headAct, count: b * c)
        } else {
            reluBackward(dInput: dPre, dOut: dAct, input: ws.headPre, count: b * c)
        }
        dCls.update(repeating: 0, count: b * c)
        linearBackward(dInput: dCls, dWeight: G + o.headDenseWeight, dBias: G + o.headDenseBias, dOut: dPre,
                       input: ws.cls, weight: P + o.headDenseWeight, rows: b, inFeatures: c, outFeatures: c)
        headPoolingBackward(config.pooling, dLast: dLast, dPooled: dCls, argmax: ws.poolArg, keyMask: ws.keyMask,
                            batch: b, seqLen: t, channels: c)
    }

    /// Differentiates one block; on entry `dOut` holds ∂x', on exit ∂x (the block input).
    private func blockBackward(_ l: Int, dOut: UnsafeMutablePointer<Float>, ws: EncoderWorkspace,
                               G: UnsafeMutablePointer<Float>) throws {
        let n = ws.batch * ws.seqLen, c = config.hiddenSize, f = config.intermediateSize, nc = n * c
        let P = parameters.baseAddress, w = offsets.blocks[l], a = ws.blocks[l]
        let s = ws.gradScratch
        let (bufB, bufC, bufD, bufE, dG) = (s[1], s[2], s[3], s[4], s[5])
        func p(_ t: BlockTensor) -> UnsafeMutablePointer<Float> { P + w[t.rawValue] }
        func g(_ t: BlockTensor) -> UnsafeMutablePointer<Float> { G + w[t.rawValue] }

        // x' = LN2(r2)
        bufB.update(repeating: 0, count: nc)
        layerNormBackward(dInput: bufB, dGamma: g(.outNormWeight), dBeta: g(.outNormBias), dOut: dOut, input: a.resid2,
                          mean: a.mean2, rstd: a.rstd2, gamma: p(.outNormWeight), rows: n, dim: c)
        // r2 = dropout(ffnOut) + h  (∂h starts as ∂r2 in bufB; ∂ffnOut possibly in bufC)
        let dFfnOut = dropoutGrad(bufB, mask: a.ffnOutMask, count: nc, p: config.hiddenDropout, into: bufC, ws: ws)
        // h = LN1(r1), act = GELU(ffnIn) (and ffnIn itself) were not kept per layer
        try rebuildFeedForwardInputs(l, ws)
        // ffnOut = act·W2ᵀ + b2
        dG.update(repeating: 0, count: n * f)
        linearBackward(dInput: dG, dWeight: g(.ffnOutWeight), dBias: g(.ffnOutBias), dOut: dFfnOut, input: a.ffnAct,
                       weight: p(.ffnOutWeight), rows: n, inFeatures: f, outFeatures: c)
        // act = GELU(ffnIn): ∂ffnIn accumulates into the act buffer, free once lin2's backward read it
        let dFfnIn = a.ffnAct
        dFfnIn.update(repeating: 0, count: n * f)
        geluBackwardFit(dInput: dFfnIn, dOut: dG, input: a.ffnIn, count: n * f)
        // ffnIn = h·W1ᵀ + b1  (accumulates into ∂h = bufB)
        linearBackward(dInput: bufB, dWeight: g(.ffnInWeight), dBias: g(.ffnInBias), dOut: dFfnIn, input: a.norm1,
                       weight: p(.ffnInWeight), rows: n, inFeatures: c, outFeatures: f)
        // h = LN1(r1)
        bufC.update(repeating: 0, count: nc)
        layerNormBackward(dInput: bufC, dGamma: g(.attnNormWeight), dBeta: g(.attnNormBias), dOut: bufB, input: a.resid1,
                          mean: a.mean1, rstd: a.rstd1, gamma: p(.attnNormWeight), rows: n, dim: c)
        // r1 = dropout_bert(attnOut) + x: ∂x starts as ∂r1
        dOut.update(from: bufC, count: nc)
        let dAttnOut = config.family == .bert
            ? dropoutGrad(bufC, mask: a.attnOutMask, count: nc, p: config.hiddenDropout, into: bufB, ws: ws) : bufC
        // attnOut = attn·Woᵀ + bo  (attn, probs and the dropout mask rebuilt from q, k, v)
        if ws.recompute >= .attention { try rebuildAttention(l, ws) }
        bufD.update(repeating: 0, count: nc)
        linearBackward(dInput: bufD, dWeight: g(.attnOutWeight), dBias: g(.attnOutBias), dOut: dAttnOut, input: a.attn,
                       weight: p(.attnOutWeight), rows: n, inFeatures: c, outFeatures: c)
        // attn = softmax(mask(q·kᵀ/√HS))·v (with attention dropout)
        let (dq, dk, dv) = (bufB, bufC, bufE)
        for d in [dq, dk, dv] { d.update(repeating: 0, count: nc) }
        let attnP = ws.dropoutActive ? config.attentionDropout : 0
        try attentionBackward(dq: dq, dk: dk, dv: dv, dOut: bufD, q: a.q, k: a.k, v: a.v, probs: a.probs,
                              keyMask: ws.keyMask, batch: ws.batch, seqLen: ws.seqLen, channels: c,
                              heads: config.numHeads, dropoutP: attnP, dropoutMask: attnP > 0 ? a.attnDropMask : nil)
        // q, k, v = x·Wᵀ + b  (accumulate into ∂x = dOut)
        let x = rebuildLayerInput(l, ws)
        for (d, wt, bt) in [(dq, BlockTensor.queryWeight, BlockTensor.queryBias), (dk, .keyWeight, .keyBias),
                            (dv, .valueWeight, .valueBias)] {
            linearBackward(dInput: dOut, dWeight: g(wt), dBias: g(bt), dOut: d, input: x, weight: p(wt),
                           rows: n, inFeatures: c, outFeatures: c)
        }
    }

    /// x0 = dropout(LN(sum)); sum = word[id] + pos[t] (+ type[tt]).
    private func embeddingsBackward(dX0: UnsafeMutablePointer<Float>, ws: EncoderWorkspace,
                                    G: UnsafeMutablePointer<Float>) throws {
        let n = ws.batch * ws.seqLen, c = config.hiddenSize, nc = n * c
        let P = parameters.baseAddress, o = offsets, s = ws.gradScratch
        let dLN = dropoutGrad(dX0, mask: ws.embMask, count: nc, p: config.hiddenDropout, into: s[1], ws: ws)
        let dSum = s[2]
        dSum.update(repeating: 0, count: nc)
        layerNormBackward(dInput: dSum, dGamma: G + o.embNormWeight, dBeta: G + o.embNormBias, dOut: dLN,
                          input: ws.embSum, mean: ws.embMean, rstd: ws.embRstd, gamma: P + o.embNormWeight, rows: n, dim: c)
        try embeddingBackward(dTable: G + o.word, dOut: dSum, ids: ws.ids, vocab: config.vocabSize, rows: n, dim: c)
        try embeddingBackward(dTable: G + o.position, dOut: dSum, ids: ws.positions, vocab: config.maxPositions, rows: n, dim: c)
        if let tt = o.tokenType {
            try embeddingBackward(dTable: G + tt, dOut: dSum, ids: ws.typeIds, vocab: config.typeVocabSize, rows: n, dim: c)
        }
    }
}
