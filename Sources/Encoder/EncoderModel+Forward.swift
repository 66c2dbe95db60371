// Forward pass over a padded batch (B sequences × T tokens, N = B·T rows), mirroring HF's
// DistilBertForSequenceClassification / BertForSequenceClassification (DESIGN.md §3):
//   embeddings: x0 = dropout(LN(word[id] + pos[t] (+ type[tt])))
//   block (post-LN): r1 = dropout_bert(attn(x)·Woᵀ + bo) + x;  h = LN1(r1)   (add + LN fused)
//                    r2 = dropout(GELU(h·W1ᵀ + b1)·W2ᵀ + b2) + h;  x' = LN2(r2)
//   head: DistilBERT  logits = dropout(ReLU(pool(x)·Wpᵀ + bp))·Wcᵀ + bc
//         BERT        logits = dropout(tanh(pool(x)·Wpᵀ + bp))·Wcᵀ + bc   (pooler)
//         pool = x[:,0] (HF), or the masked mean / max over tokens (HeadPooling.swift)
// Inference (`logits`, `hiddenStates`) takes no RNG: dropout is off. Training's `forward`
// draws dropout from its RNG when `training` is true and the probability is positive.
import DocketBase
import Kernels

extension EncoderModel {
    /// Inference logits (B × numLabels, row-major) for a padded batch, dropout off. `ids`,
    /// `mask` (1 = token, 0 = padding) and `typeIds` (BERT segment ids; nil = all 0; ignored by
    /// DistilBERT) are B·T row-major. The result points into `workspace` and stays valid until
    /// its next use.
    public func logits(ids: [Int32], typeIds: [Int32]? = nil, mask: [Int32], batch: Int, seqLen: Int,
                       workspace: EncoderWorkspace) throws -> UnsafeBufferPointer<Float> {
        try requireClassificationObjective()
        var noDropout: SeededRNG? = nil
        return try run(ids: ids, typeIds: typeIds, mask: mask, batch: batch, seqLen: seqLen,
                       workspace: workspace, dropout: &noDropout, onLayer: nil)
    }

    /// Training's forward: the logits of `logits(...)`, with dropout drawn from `rng` when
    /// `training` is true (the workspace must then be a training one if the model has dropout).
    /// `training: false` is the inference forward and leaves `rng` untouched.
    public func forward(ids: [Int32], typeIds: [Int32]? = nil, mask: [Int32], batch: Int, seqLen: Int,
                        workspace: EncoderWorkspace, training: Bool = false,
                        rng: inout SeededRNG) throws -> UnsafeBufferPointer<Float> {
        try requireClassificationObjective()
        return try run(ids: ids, typeIds: typeIds, mask: mask, batch: batch, seqLen: seqLen,
                       workspace: workspace, training: training, rng: &rng, onLayer: nil)
    }

    /// `run` with training's flag and RNG (`training: false`: inference, `rng` untouched).
    func run(ids: [Int32], typeIds: [Int32]?, mask: [Int32], batch: Int, seqLen: Int,
             workspace: EncoderWorkspace, training: Bool, rng: inout SeededRNG,
             onLayer: ((Int, UnsafePointer<Float>) -> Void)?) throws -> UnsafeBufferPointer<Float> {
        var dropout: SeededRNG? = training ? rng : nil
        defer { if let dropout { rng = dropout } }
        return try run(ids: ids, typeIds: typeIds, mask: mask, batch: batch, seqLen: seqLen,
                       workspace: workspace, dropout: &dropout, onLayer: onLayer)
    }

    private func requireClassificationObjective() throws {
        guard objective == .sequenceClassification else {
            throw EncoderError.invalidInput("a masked-LM model has no classification logits (see maskedLMStep)")
        }
    }

    /// Hidden states as HF's `output_hidden_states` gives them (eval mode): index 0 is the
    /// embeddings output, index i the output of layer i; each B·T·C row-major.
    public func hiddenStates(ids: [Int32], typeIds: [Int32]? = nil, mask: [Int32], batch: Int, seqLen: Int,
                             workspace: EncoderWorkspace) throws -> [[Float]] {
        var states: [[Float]] = []
        var noDropout: SeededRNG? = nil
        let n = batch * seqLen * config.hiddenSize
        _ = try run(ids: ids, typeIds: typeIds, mask: mask, batch: batch, seqLen: seqLen,
                    workspace: workspace, dropout: &noDropout) { _, h in
            states.append(Array(UnsafeBufferPointer(start: h, count: n)))
        }
        return states
    }

    /// The forward of every entry point. `rng` is dropout's random source: nil = inference
    /// (dropout off, nothing drawn), else training mode with dropout drawn from it.
    func run(ids: [Int32], typeIds: [Int32]?, mask: [Int32], batch: Int, seqLen: Int,
             workspace ws: EncoderWorkspace, dropout rng: inout SeededRNG?,
             onLayer: ((Int, UnsafePointer<Float>) -> Void)?) throws -> UnsafeBufferPointer<Float> {
        let training = rng != nil
        ws.forwardComplete = false  // backward refuses activations of a failed forward
        if ws.training || reducedBlocks == nil {
            try requireFP32Weights(for: ws.training ? "a forward on a training workspace" : "an FP32 forward")
        }
        try stageInputs(ids: ids, typeIds: typeIds, mask: mask, batch: batch, seqLen: seqLen, ws: ws)
        if training && !ws.training && hasDropout {
            throw EncoderError.invalidInput("dropout (training mode) needs a workspace made with training: true")
        }
        ws.dropoutActive = training
        try embed(ws, rng: &rng)
        onLayer?(0, ws.hidden[0])
        for l in 0..<config.numLayers {
            let (x, out) = (layerInput(l, ws), layerOutput(l, ws))
            if l == config.numLayers - 1 && lastBlockReadsClassTokenOnly(ws, observed: onLayer != nil) {
                try classTokenBlock(l, input: x, output: out, acts: ws.blocks[l], ws: ws)
            } else {
                try block(l, input: x, output: out, acts: ws.blocks[l], ws: ws, rng: &rng)
            }
            onLayer?(l + 1, out)
        }
        if objective == .sequenceClassification { try head(ws, rng: &rng) }
        ws.forwardComplete = true
        return UnsafeBufferPointer(start: ws.logits, count: batch * config.numLabels)
    }

    var hasDropout: Bool {
        config.hiddenDropout > 0 || config.attentionDropout > 0 || config.classifierDropout > 0
    }

    /// Where layer l reads its input during forward (N, C). Inference alternates two
    /// buffers; training keeps the embeddings output in hidden[0] and alternates 1 and 2.
    func layerInput(_ l: Int, _ ws: EncoderWorkspace) -> UnsafeMutablePointer<Float> {
        ws.training ? (l == 0 ? ws.hidden[0] : ws.hidden[1 + (l - 1) % 2]) : ws.hidden[l % 2]
    }

    /// Where layer l writes its output during forward (N, C).
    func layerOutput(_ l: Int, _ ws: EncoderWorkspace) -> UnsafeMutablePointer<Float> {
        ws.training ? ws.hidden[1 + l % 2] : ws.hidden[(l + 1) % 2]
    }

    /// The final hidden state (N, C) of the last forward on `ws`.
    func lastHidden(_ ws: EncoderWorkspace) -> UnsafeMutablePointer<Float> {
        layerOutput(config.numLayers - 1, ws)
    }

    /// Checks sizes and id ranges, and copies the inputs into the workspace as Int32.
    private func stageInputs(ids: [Int32], typeIds: [Int32]?, mask: [Int32], batch: Int, seqLen: Int,
                             ws: EncoderWorkspace) throws {
        guard ws.shape == WorkspaceShape(config) else {
            throw EncoderError.invalidInput("the workspace was made for a model of other sizes (\(ws.shape))")
        }
        guard batch > 0, seqLen > 0, batch <= ws.maxBatch, seqLen <= ws.maxSeqLen else {
            throw EncoderError.invalidInput("batch \(batch) × length \(seqLen) does not fit the workspace (\(ws.maxBatch) × \(ws.maxSeqLen))")
        }
        let n = batch * seqLen
        guard ids.count == n, mask.count == n, typeIds.map({ $0.count == n }) ?? true else {
            throw EncoderError.invalidInput("ids/mask/typeIds must each hold batch × length = \(n) values")
        }
        let useTypes = config.family == .bert
        for r in 0..<n {
            guard ids[r] >= 0, Int(ids[r]) < config.vocabSize else {
                throw EncoderError.invalidInput("token id \(ids[r]) at row \(r / seqLen), position \(r % seqLen) is outside the vocabulary (\(config.vocabSize))")
            }
            let tt = useTypes ? (typeIds?[r] ?? 0) : 0
            guard tt >= 0, !useTypes || Int(tt) < config.typeVocabSize else {
                throw EncoderError.invalidInput("token type \(tt) at row \(r / seqLen) is outside type_vocab_size \(config.typeVocabSize)")
            }
            ws.ids[r] = ids[r]; ws.typeIds[r] = tt
            ws.positions[r] = Int32(r % seqLen); ws.keyMask[r] = mask[r] != 0 ? 1 : 0
        }
        ws.batch = batch; ws.seqLen = seqLen
    }

    /// x0 = dropout(LN(word[id] + pos[t] + type[tt])) into hidden[0].
    private func embed(_ ws: EncoderWorkspace, rng: inout SeededRNG?) throws {
        let n = ws.batch * ws.seqLen, c = config.hiddenSize, P = parameters.baseAddress, o = offsets
        try embeddingForward(out: ws.embSum, ids: ws.ids, table: P + o.word, vocab: config.vocabSize, rows: n, dim: c)
        for r in 0..<n {
            let dst = ws.embSum + r * c
            addInPlace(dst, P + o.position + Int(ws.positions[r]) * c, count: c)
            if let tt = o.tokenType { addInPlace(dst, P + tt + Int(ws.typeIds[r]) * c, count: c) }
        }
        layerNormForward(out: ws.hidden[0], mean: ws.embMean, rstd: ws.embRstd, input: ws.embSum,
                         gamma: P + o.embNormWeight, beta: P + o.embNormBias, rows: n, dim: c, eps: config.layerNormEps)
        try dropout(ws.hidden[0], mask: ws.embMask, count: n * c, p: config.hiddenDropout, ws: ws, rng: &rng)
    }

    /// In-place dropout when the workspace's forward is in training mode and p > 0.
    func dropout(_ x: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<UInt8>, count: Int, p: Float,
                 ws: EncoderWorkspace, rng: inout SeededRNG?) throws {
        guard ws.dropoutActive && p > 0, rng != nil else { return }
        try dropoutForward(out: x, mask: mask, input: x, count: count, p: p, rng: &rng!)
    }

    private func block(_ l: Int, input x: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
                       acts a: BlockActivations, ws: EncoderWorkspace, rng: inout SeededRNG?) throws {
        let n = ws.batch * ws.seqLen, c = config.hiddenSize
        let P = parameters.baseAddress, w = offsets.blocks[l]
        func at(_ t: BlockTensor) -> UnsafeMutablePointer<Float> { P + w[t.rawValue] }
        try project(l, .queryWeight, out: a.q, input: x, rows: n, ws: ws)
        try project(l, .keyWeight, out: a.k, input: x, rows: n, ws: ws)
        try project(l, .valueWeight, out: a.v, input: x, rows: n, ws: ws)
        if ws.training {  // backward redraws the same dropout mask from this RNG state
            ws.attentionRNG[l] = rng
            try trainingAttention(l, ws, rng: &rng)
        } else {
            inferenceAttention(out: a.attn, q: a.q, k: a.k, v: a.v, keyMask: ws.keyMask, scratch: a.probs,
                               batch: ws.batch, seqLen: ws.seqLen, channels: c, heads: config.numHeads)
        }
        try project(l, .attnOutWeight, out: a.resid1, input: a.attn, rows: n, ws: ws)
        if config.family == .bert {  // BertSelfOutput: dropout(dense(x)); DistilBERT has none here
            try dropout(a.resid1, mask: a.attnOutMask, count: n * c, p: config.hiddenDropout, ws: ws, rng: &rng)
        }
        residualLayerNormForward(out: a.norm1, mean: a.mean1, rstd: a.rstd1, x: a.resid1, residual: x,
                                 gamma: at(.attnNormWeight), beta: at(.attnNormBias), rows: n, dim: c, eps: config.layerNormEps)
        try feedForwardIn(l, acts: a, rows: n, ws: ws)
        try project(l, .ffnOutWeight, out: a.resid2, input: a.ffnAct, rows: n, ws: ws)
        try dropout(a.resid2, mask: a.ffnOutMask, count: n * c, p: config.hiddenDropout, ws: ws, rng: &rng)
        residualLayerNormForward(out: output, mean: a.mean2, rstd: a.rstd2, x: a.resid2, residual: a.norm1,
                                 gamma: at(.outNormWeight), beta: at(.outNormBias), rows: n, dim: c, eps: config.layerNormEps)
    }

    /// out(rows, outF) = input·Wᵀ (+ b) for block linear `weight` of layer l: bf16 or int8 when
    /// the model was prepared for it and the workspace is an inference one, else FP32 sgemm.
    func project(_ l: Int, _ weight: BlockTensor, out: UnsafeMutablePointer<Float>,
                         input: UnsafePointer<Float>, rows: Int, ws: EncoderWorkspace, bias: Bool = true) throws {
        guard let shape = config.blockLinear(weight) else { throw EncoderError.invalidInput("\(weight) is not a block linear") }
        let P = parameters.baseAddress, w = offsets.blocks[l]
        let b = bias ? UnsafePointer(P + w[shape.bias.rawValue]) : nil
        if !ws.training, let packed = reducedBlocks?[l].byTensor[weight] {
            return try packed.forward(out: out, input: input, bias: b, rows: rows)
        }
        linearForward(out: out, input: input, weight: P + w[weight.rawValue], bias: b, rows: rows,
                      inFeatures: shape.inFeatures, outFeatures: shape.outFeatures)
    }

    /// Token 0 (or the masked mean / max, `config.pooling`) of each sequence → dense → ReLU (DistilBERT) / tanh (BERT pooler) → dropout → classifier.
    private func head(_ ws: EncoderWorkspace, rng: inout SeededRNG?) throws {
        let b = ws.batch, t = ws.seqLen, c = config.hiddenSize, k = config.numLabels
        let P = parameters.baseAddress, o = offsets, last = lastHidden(ws)
        headPoolingForward(config.pooling, pooled: ws.cls, argmax: ws.poolArg, last: last, keyMask: ws.keyMask,
                           batch: b, seqLen: t, channels: c)
        linearForward(out: ws.headPre, input: ws.cls, weight: P + o.headDenseWeight, bias: P + o.headDenseBias,
                      rows: b, inFeatures: c, outFeatures: c)
        if config.family == .bert {
            tanhForward(out: ws.headAct, input: ws.headPre, count: b * c)
        } else {
            reluForward(out: ws.headAct, input: ws.headPre, count: b * c)
        }
        ws.headDrop.update(from: ws.headAct, count: b * c)
        try dropout(ws.headDrop, mask: ws.headMask, count: b * c, p: config.classifierDropout, ws: ws, rng: &rng)
        linearForward(out: ws.logits, input: ws.headDrop, weight: P + o.classifierWeight, bias: P + o.classifierBias,
                      rows: b, inFeatures: c, outFeatures: k)
    }
}
