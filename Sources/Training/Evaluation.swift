// Dev-set evaluation: mean cross-entropy (unweighted, like the HF Trainer's eval loss without
// class weights), accuracy and macro-F1 from argmax predictions. Examples run in
// length-sorted batches (less padding); results do not depend on the batching order.
import Foundation
import Kernels

public struct EvaluationResult: Sendable, Codable, Equatable {
    public let loss: Double
    public let metrics: ClassificationMetrics
    /// Predicted label id of each example, in the order the examples were given.
    public let predictions: [Int]
    /// Logits of each example (numLabels each), in the order the examples were given.
    public let logits: [[Float]]
    public var accuracy: Double { metrics.accuracy }
    public var macroF1: Double { metrics.macroF1 }

    public func value(of metric: SelectionMetric) -> Double {
        switch metric {
        case .macroF1: return macroF1
        case .accuracy: return accuracy
        case .loss: return loss
        }
    }
}

public enum Evaluator {
    /// Evaluates `model` (dropout off) on `examples` with the given label names.
    /// With `windowPooling` the examples are windows of documents (TrainingExample.document):
    /// probabilities are pooled per document as classify's chunk mode pools them, and the
    /// loss, metrics, predictions and (pooled) logits are per document.
    public static func evaluate(model: TrainableModel, examples: [TrainingExample], labels: [String],
                                batchSize: Int, windowPooling: WindowPooling? = nil) throws -> EvaluationResult {
        let windows = try evaluateRows(model: model, examples: examples, labels: labels, batchSize: batchSize)
        guard let windowPooling else { return windows }
        return try pooled(windows, examples: examples, labels: labels, pooling: windowPooling)
    }

    /// Per-document results from per-window logits: mean (or renormalised max) of the window
    /// probabilities, logits pooled the same way (mean / max), loss −log P[y] averaged.
    static func pooled(_ windows: EvaluationResult, examples: [TrainingExample], labels: [String],
                       pooling: WindowPooling) throws -> EvaluationResult {
        let k = labels.count
        var gold: [Int] = [], predicted: [Int] = [], logits: [[Float]] = [], lossSum = 0.0
        for group in DocumentWindows.groups(examples) {
            var p = [Double](repeating: pooling == .max ? -1 : 0, count: k)
            var l = [Double](repeating: pooling == .max ? -.infinity : 0, count: k)
            for i in group {
                let w = windows.logits[i].map(Double.init), m = w.max() ?? 0
                let e = w.map { Foundation.exp($0 - m) }, s = e.reduce(0, +)
                for j in 0..<k {
                    if pooling == .max { p[j] = Swift.max(p[j], e[j] / s); l[j] = Swift.max(l[j], w[j]) }
                    else { p[j] += e[j] / s; l[j] += w[j] }
                }
            }
            let total = p.reduce(0, +)
            let y = examples[group[0]].label
            lossSum -= Foundation.log(p[y] / total)
            gold.append(y)
            predicted.append(p.indices.max { (p[$0], -$0) < (p[$1], -$1) } ?? 0)
            logits.append(l.map { Float(pooling == .max ? $0 : $0 / Double(group.count)) })
        }
        let metrics = try ClassificationMetrics(labels: labels, gold: gold, predicted: predicted)
        return EvaluationResult(loss: gold.isEmpty ? 0 : lossSum / Double(gold.count), metrics: metrics,
                                predictions: predicted, logits: logits)
    }

    /// One result per example (window).
    static func evaluateRows(model: TrainableModel, examples: [TrainingExample], labels: [String],
                             batchSize: Int) throws -> EvaluationResult {
        let k = model.numLabels
        let order = examples.indices.sorted { (examples[$0].ids.count, $0) < (examples[$1].ids.count, $1) }
        var predicted = [Int](repeating: 0, count: examples.count)
        var allLogits = [[Float]](repeating: [], count: examples.count)
        var lossSum = 0.0
        var rng = SeededRNG(seed: 0)  // unused: no dropout in evaluation
        for start in stride(from: 0, to: order.count, by: max(1, batchSize)) {
            let idx = Array(order[start..<min(order.count, start + max(1, batchSize))])
            let batch = TokenBatch(examples: examples, indices: idx, padId: model.padTokenId)
            let logits = try model.forward(batch, training: false, rng: &rng)
            var probs = [Float](repeating: 0, count: logits.count)
            let mean = try probs.withUnsafeMutableBufferPointer { p in
                try logits.withUnsafeBufferPointer { l in
                    try batch.labels.withUnsafeBufferPointer { y in
                        try softmaxCrossEntropyForward(probs: p.baseAddress!, logits: l.baseAddress!, labels: y.baseAddress!,
                                                       classWeights: nil, batch: batch.batch, classes: k)
                    }
                }
            }
            lossSum += Double(mean) * Double(batch.batch)
            for (row, i) in idx.enumerated() {
                predicted[i] = argmax(logits, row: row, classes: k)
                allLogits[i] = Array(logits[(row * k)..<((row + 1) * k)])
            }
        }
        let metrics = try ClassificationMetrics(labels: labels, gold: examples.map(\.label), predicted: predicted)
        return EvaluationResult(loss: examples.isEmpty ? 0 : lossSum / Double(examples.count), metrics: metrics,
                                predictions: predicted, logits: allLogits)
    }

    /// Index of the largest logit of a row (first on ties, like torch.argmax).
    static func argmax(_ logits: [Float], row: Int, classes: Int) -> Int {
        var best = 0
        for j in 1..<max(1, classes) where logits[row * classes + j] > logits[row * classes + best] { best = j }
        return best
    }
}
