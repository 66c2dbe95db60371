// Masked-language-model training step (HF BertForMaskedLM / DistilBertForMaskedLM with the
// decoder tied to the word embeddings), forward and backward hand-written. Only the M masked
// positions go through the head (PyTorch scores every position and ignores label −100 in the
// loss: same loss and gradients, N/M times less vocabulary projection):
//   h    = last[rows]                           (M, C) gathered masked rows
//   pre  = h·Wdᵀ + bd                           BERT cls.predictions.transform.dense / vocab_transform
//   act  = GELU(pre)                            (exact erf, config hidden_act / activation)
//   norm = LN(act)                              transform.LayerNorm / vocab_layer_norm
//   logits = norm·Eᵀ + b                        E = word embeddings (V, C), b = cls.predictions.bias /
//                                               vocab_projector.bias; (M, V) through Kernels' sgemm
//   loss = mean over the M rows of CE(logits, label)   (F.cross_entropy, ignore_index −100)
// ∂E collects both the decoder's and the embedding lookup's gradients (tied weights).
import DocketBase
import Kernels

/// The ignored label of masked-LM targets (PyTorch's ignore_index).
public let maskedLMIgnoreLabel: Int32 = -100

/// Head activations and gradients for up to `capacity` masked positions, grown on demand.
public final class MaskedLMWorkspace: @unchecked Sendable {
    private(set) var capacity = 0
    private var storage: UnsafeMutablePointer<Float>?
    private(set) var hidden, pre, act, norm, mean, rstd, logits, probs, dA, dB: UnsafeMutablePointer<Float>!
    var rows: [Int] = [], targets: [Int32] = []

    public init() {}
    deinit { storage?.deallocate() }

    /// Makes room for `m` rows of width `c` and vocabulary `v`.
    func reserve(rows m: Int, hidden c: Int, vocab v: Int) throws {
        guard m > capacity || hidden == nil else { return }
        storage?.deallocate(); storage = nil
        let perRow = 6 * c + 2 + 2 * v
        let (total, overflow) = m.multipliedReportingOverflow(by: perRow)
        guard !overflow, total * 4 <= EncoderWorkspace.maxBytes else {
            throw EncoderError.invalidInput("a masked-LM head for \(m) masked tokens × vocabulary \(v) does not fit in memory")
        }
        let p = UnsafeMutablePointer<Float>.allocate(capacity: max(total, 1))
        p.initialize(repeating: 0, count: max(total, 1))
        storage = p; capacity = m
        var at = p
        func take(_ n: Int) -> UnsafeMutablePointer<Float> { defer { at += n }; return at }
        hidden = take(m * c); pre = take(m * c); act = take(m * c); norm = take(m * c)
        dA = take(m * c); dB = take(m * c); mean = take(m); rstd = take(m)
        logits = take(m * v); probs = take(m * v)
    }
}

extension EncoderModel {
    /// One masked-LM forward and backward on a padded batch: `labels` (B·T) holds the original
    /// token at masked positions and `maskedLMIgnoreLabel` elsewhere; `ids` already carry the
    /// [MASK] / random / unchanged replacements. Accumulates ∂loss/∂θ into `gradients` and
    /// returns (mean loss over masked positions, their count); (0, 0) without masked positions.
    public func maskedLMStep(ids: [Int32], typeIds: [Int32]?, mask: [Int32], labels: [Int32], batch: Int, seqLen: Int,
                             workspace ws: EncoderWorkspace, head hw: MaskedLMWorkspace, gradients: ParameterBuffer,
                             training: Bool, rng: inout SeededRNG) throws -> (loss: Float, masked: Int) {
        guard objective == .maskedLM, let o = offsets.maskedLM else {
            throw EncoderError.invalidInput("maskedLMStep needs a model loaded with objective .maskedLM")
        }
        let n = batch * seqLen, c = config.hiddenSize, v = config.vocabSize
        guard labels.count == n else { throw EncoderError.invalidInput("labels must hold batch × length = \(n) values") }
        hw.rows.removeAll(keepingCapacity: true); hw.targets.removeAll(keepingCapacity: true)
        for (r, y) in labels.enumerated() where y != maskedLMIgnoreLabel {
            guard y >= 0, Int(y) < v else {
                throw EncoderError.invalidInput("masked-LM label \(y) at row \(r / seqLen), position \(r % seqLen) is outside the vocabulary (\(v))")
            }
            hw.rows.append(r); hw.targets.append(y)
        }
        _ = try run(ids: ids, typeIds: typeIds, mask: mask, batch: batch, seqLen: seqLen, workspace: ws,
                    training: training, rng: &rng, onLayer: nil)
        let m = hw.rows.count
        guard m > 0 else { return (0, 0) }
        try checkBackward(ws, gradients)
        try hw.reserve(rows: m, hidden: c, vocab: v)
        let P = parameters.baseAddress, G = gradients.baseAddress, last = lastHidden(ws)
        for (i, r) in hw.rows.enumerated() { (hw.hidden + i * c).update(from: last + r * c, count: c) }
        // forward of the head
        linearForward(out: hw.pre, input: hw.hidden, weight: P + o.denseWeight, bias: P + o.denseBias,
                      rows: m, inFeatures: c, outFeatures: c)
        geluForward(out: hw.act, input: hw.pre, count: m * c)
        layerNormForward(out: hw.norm, mean: hw.mean, rstd: hw.rstd, input: hw.act, gamma: P + o.normWeight,
                         beta: P + o.normBias, rows: m, dim: c, eps: config.layerNormEps)
        linearForward(out: hw.logits, input: hw.norm, weight: P + offsets.word, bias: P + o.decoderBias,
                      rows: m, inFeatures: c, outFeatures: v)
        let loss = try hw.targets.withUnsafeBufferPointer { y -> Float in
            let loss = try softmaxCrossEntropyForward(probs: hw.probs, logits: hw.logits, labels: y.baseAddress!,
                                                      classWeights: nil, batch: m, classes: v)
            hw.logits.update(repeating: 0, count: m * v)  // now ∂logits
            try softmaxCrossEntropyBackward(dLogits: hw.logits, probs: hw.probs, labels: y.baseAddress!,
                                            classWeights: nil, batch: m, classes: v)
            return loss
        }
        // backward of the head: ∂norm (dA), ∂act (dB), ∂pre (dA), ∂h (dB)
        hw.dA.update(repeating: 0, count: m * c)
        linearBackward(dInput: hw.dA, dWeight: G + offsets.word, dBias: G + o.decoderBias, dOut: hw.logits,
                       input: hw.norm, weight: P + offsets.word, rows: m, inFeatures: c, outFeatures: v)
        hw.dB.update(repeating: 0, count: m * c)
        layerNormBackward(dInput: hw.dB, dGamma: G + o.normWeight, dBeta: G + o.normBias, dOut: hw.dA, input: hw.act,
                          mean: hw.mean, rstd: hw.rstd, gamma: P + o.normWeight, rows: m, dim: c)
        hw.dA.update(repeating: 0, count: m * c)
        geluBackward(dInput: hw.dA, dOut: hw.dB, input: hw.pre, count: m * c)
        hw.dB.update(repeating: 0, count: m * c)
        linearBackward(dInput: hw.dB, dWeight: G + o.denseWeight, dBias: G + o.denseBias, dOut: hw.dA,
                       input: hw.hidden, weight: P + o.denseWeight, rows: m, inFeatures: c, outFeatures: c)
        let dX = ws.gradScratch[0]
        dX.update(repeating: 0, count: n * c)
        for (i, r) in hw.rows.enumerated() { addInPlace(dX + r * c, hw.dB + i * c, count: c) }
        try encoderBackward(ws: ws, gradients: gradients)
        return (loss, m)
    }
}
