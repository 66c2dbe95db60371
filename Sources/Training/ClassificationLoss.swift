// The training objective of a sequence classifier, chosen by its problem type exactly as
// transformers' *ForSequenceClassification.forward does:
//   single_label_classification: F.cross_entropy(logits, labels, weight=class weights), mean
//                                (weighted: Σ w[y]·nll / Σ w[y])
//   multi_label_classification:  BCEWithLogitsLoss(logits, multi-hot targets), mean over B×K
//   chunked documents (windowPooling, single-label): WindowPooledLoss over each document's windows
// All are means, so each has a denominator (Σ w[y], B, B·K, or the documents' Σ w[y]): when several micro-batches
// make one optimizer step (gradient accumulation), each one's gradient is weighted by its
// share of the summed denominator and the step equals one batch of all of them.
import Encoder
import Kernels

public struct ClassificationLoss: Sendable {
    public let problemType: ProblemType
    /// Label count K.
    public let classes: Int
    /// Single-label class weights (label-id order); nil = unweighted.
    public let classWeights: [Float]?
    /// Single-label chunked documents: rows are windows, the loss is on pooled document probabilities.
    public let windowPooling: WindowPooling?

    public init(problemType: ProblemType, classes: Int, classWeights: [Float]? = nil, windowPooling: WindowPooling? = nil) throws {
        if problemType == .multiLabel && classWeights != nil {
            throw TrainingError.invalidArgument("--class-weights applies to single-label classification only")
        }
        if problemType == .multiLabel && windowPooling != nil {
            throw TrainingError.invalidArgument("chunked long-document training (window pooling) is single-label only")
        }
        self.problemType = problemType; self.classes = classes; self.classWeights = classWeights
        self.windowPooling = windowPooling
    }

    /// Denominator of the batch's mean loss: Σ_b w[y_b] (weighted CE), B (CE), B·K (BCE); with
    /// window pooling the same over the batch's documents.
    public func denominator(_ batch: TokenBatch) -> Double {
        switch problemType {
        case .multiLabel: return Double(batch.batch * classes)
        case .singleLabel:
            let labels = windowPooling != nil ? DocumentWindows.rowDocuments(batch).labels : batch.labels.map(Int.init)
            guard let w = classWeights else { return Double(labels.count) }
            return labels.reduce(0) { $0 + Double(w[$1]) }
        }
    }

    /// Multi-hot targets (B×K) of a batch's multi-label gold ids.
    public func targets(_ batch: TokenBatch) throws -> [Float] {
        var t = [Float](repeating: 0, count: batch.batch * classes)
        for (row, ids) in batch.multiLabels.enumerated() {
            for j in ids {
                guard (0..<classes).contains(j) else {
                    throw TrainingError.invalidArgument("label id \(j) is outside 0..<\(classes)")
                }
                t[row * classes + j] = 1
            }
        }
        return t
    }

    /// Mean loss of `logits` (B×K) and the probabilities (softmax rows or per-label sigmoid).
    /// With `dLogits`, adds scale·∂loss/∂logits to it (scale 1 = the batch's own mean).
    public func evaluate(logits: [Float], batch: TokenBatch, probabilities probs: inout [Float],
                         dLogits: UnsafeMutablePointer<Float>? = nil, scale: Float = 1) throws -> Double {
        let b = batch.batch, k = classes
        guard logits.count == b * k else {
            throw TrainingError.invalidArgument("\(logits.count) logits for a batch of \(b) × \(k) labels")
        }
        if probs.count != logits.count { probs = [Float](repeating: 0, count: logits.count) }
        var gradient = scale == 1 ? dLogits : nil
        var scratch: [Float] = []
        if dLogits != nil && scale != 1 { scratch = [Float](repeating: 0, count: logits.count) }
        let loss: Float = try scratch.withUnsafeMutableBufferPointer { tmp in
            if dLogits != nil && scale != 1 { gradient = tmp.baseAddress }
            return try lossAndGradient(logits, batch, &probs, gradient)
        }
        if let dLogits, scale != 1 { for i in scratch.indices { dLogits[i] += scale * scratch[i] } }
        return Double(loss)
    }

    private func lossAndGradient(_ logits: [Float], _ batch: TokenBatch, _ probs: inout [Float],
                                 _ dLogits: UnsafeMutablePointer<Float>?) throws -> Float {
        let b = batch.batch, k = classes
        if let pooling = windowPooling {  // chunked documents: pooled over each document's windows
            let docs = DocumentWindows.rowDocuments(batch)
            var d = [Float](repeating: 0, count: logits.count)
            let loss = try WindowPooledLoss.lossAndGradient(logits: logits, documents: docs.rows, labels: docs.labels,
                                                            classWeights: classWeights, pooling: pooling, k: k, dLogits: &d)
            if let dLogits { for i in d.indices { dLogits[i] += d[i] } }
            return loss
        }
        switch problemType {
        case .multiLabel:
            let t = try targets(batch)
            return try logits.withUnsafeBufferPointer { l in
                try t.withUnsafeBufferPointer { y in
                    try probs.withUnsafeMutableBufferPointer { p in
                        let loss = try sigmoidBinaryCrossEntropyForward(probs: p.baseAddress!, logits: l.baseAddress!,
                                                                        targets: y.baseAddress!, batch: b, classes: k)
                        if let dLogits {
                            sigmoidBinaryCrossEntropyBackward(dLogits: dLogits, probs: p.baseAddress!, targets: y.baseAddress!,
                                                              batch: b, classes: k)
                        }
                        return loss
                    }
                }
            }
        case .singleLabel:
            return try withOptionalPointer(classWeights) { w in
                try logits.withUnsafeBufferPointer { l in
                    try batch.labels.withUnsafeBufferPointer { y in
                        try probs.withUnsafeMutableBufferPointer { p in
                            let loss = try softmaxCrossEntropyForward(probs: p.baseAddress!, logits: l.baseAddress!,
                                                                      labels: y.baseAddress!, classWeights: w, batch: b, classes: k)
                            if let dLogits {
                                try softmaxCrossEntropyBackward(dLogits: dLogits, probs: p.baseAddress!, labels: y.baseAddress!,
                                                                classWeights: w, batch: b, classes: k)
                            }
                            return loss
                        }
                    }
                }
            }
        }
    }
}

func withOptionalPointer<R>(_ a: [Float]?, _ body: (UnsafePointer<Float>?) throws -> R) rethrows -> R {
    guard let a else { return try body(nil) }
    return try a.withUnsafeBufferPointer { try body($0.baseAddress) }
}
