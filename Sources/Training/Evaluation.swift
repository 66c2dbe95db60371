// Dev-set evaluation, dropout off. Single-label: mean cross-entropy (unweighted, like the HF
// Trainer's eval loss without class weights), accuracy and macro-F1 from argmax predictions.
// Multi-label: mean BCE-with-logits, labels above their thresholds (0.5 unless given), subset
// accuracy, micro/macro F1 (MultiLabelMetrics). Examples run in length-sorted batches (less
// padding); results do not depend on the batching order.
import DocketBase
import Encoder
import Foundation
import Kernels

public struct EvaluationResult: Sendable, Codable, Equatable {
    public let loss: Double
    /// Single-label metrics (nil for multi-label).
    public let metrics: ClassificationMetrics?
    /// Multi-label metrics (nil for single-label).
    public let multiLabelMetrics: MultiLabelMetrics?
    /// Predicted label id of each example (multi-label: the most probable label), in the order the examples were given.
    public let predictions: [Int]
    /// Multi-label: the predicted label ids of each example (above their thresholds); nil for single-label.
    public let predictedLabelSets: [[Int]]?
    /// Logits of each example (numLabels each), in the order the examples were given.
    public let logits: [[Float]]
    /// Accuracy (multi-label: subset accuracy).
    public var accuracy: Double { metrics?.accuracy ?? multiLabelMetrics?.subsetAccuracy ?? 0 }
    public var macroF1: Double { metrics?.macroF1 ?? multiLabelMetrics?.macroF1 ?? 0 }
    /// Micro-averaged F1 (single-label: equals accuracy, as in sklearn).
    public var microF1: Double { metrics?.accuracy ?? multiLabelMetrics?.microF1 ?? 0 }

    /// Multi-label: the same logits decided with other per-label `thresholds` (predicted sets
    /// and metrics recomputed against `gold`, the label-id sets of the examples).
    public func withThresholds(_ thresholds: [Float], gold: [[Int]]) throws -> EvaluationResult {
        guard let m = multiLabelMetrics else { return self }
        let sets = logits.map { DecisionThresholds.predict($0.map { 1 / (1 + expf(-$0)) }, thresholds: thresholds) }
        return EvaluationResult(loss: loss, metrics: nil, multiLabelMetrics: try MultiLabelMetrics(labels: m.labels, gold: gold, predicted: sets),
                                predictions: predictions, predictedLabelSets: sets, logits: logits)
    }

    public func value(of metric: SelectionMetric) -> Double {
        switch metric {
        case .macroF1: return macroF1
        case .microF1: return microF1
        case .accuracy: return accuracy
        case .loss: return loss
        }
    }
}

public enum Evaluator {
    /// Evaluates `model` (dropout off) on `examples` with the given label names. Multi-label
    /// predictions use `thresholds` (per label; default 0.5 each).
    /// With `windowPooling` (single-label) the examples are windows of documents (TrainingExample.document):
    /// probabilities are pooled per document as classify's chunk mode pools them, and the
    /// loss, metrics, predictions and (pooled) logits are per document.
    public static func evaluate(model: TrainableModel, examples: [TrainingExample], labels: [String], batchSize: Int,
                                problemType: ProblemType = .singleLabel, thresholds: [Float]? = nil,
                                windowPooling: WindowPooling? = nil) throws -> EvaluationResult {
        let windows = try evaluateRows(model: model, examples: examples, labels: labels, batchSize: batchSize,
                                       problemType: problemType, thresholds: thresholds)
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
        return EvaluationResult(loss: gold.isEmpty ? 0 : lossSum / Double(gold.count), metrics: metrics, multiLabelMetrics: nil,
                                predictions: predicted, predictedLabelSets: nil, logits: logits)
    }

    /// One result per example (window).
    static func evaluateRows(model: TrainableModel, examples: [TrainingExample], labels: [String], batchSize: Int,
                             problemType: ProblemType, thresholds: [Float]?) throws -> EvaluationResult {
        let k = model.numLabels
        let loss = try ClassificationLoss(problemType: problemType, classes: k)
        var predicted = [Int](repeating: 0, count: examples.count)
        var sets = [[Int]](repeating: [], count: examples.count)
        var allLogits = [[Float]](repeating: [], count: examples.count)
        var lossSum = 0.0, denominator = 0.0
        let cut = thresholds ?? [Float](repeating: DecisionThresholds.defaultValue, count: k)
        for idx in EpochPlanner.lengthSortedBatches(lengths: examples.map(\.ids.count), batchSize: batchSize) {
            let batch = TokenBatch(examples: examples, indices: idx, padId: model.padTokenId)
            let logits = try model.logits(batch)
            var probs: [Float] = []
            let mean = try loss.evaluate(logits: logits, batch: batch, probabilities: &probs)
            let d = loss.denominator(batch)
            lossSum += mean * d; denominator += d
            for (row, i) in idx.enumerated() {
                predicted[i] = argmax(logits, row: row, classes: k)
                allLogits[i] = Array(logits[(row * k)..<((row + 1) * k)])
                if problemType == .multiLabel {
                    sets[i] = DecisionThresholds.predict(Array(probs[(row * k)..<((row + 1) * k)]), thresholds: cut)
                }
            }
        }
        let mean = denominator > 0 ? lossSum / denominator : 0
        switch problemType {
        case .singleLabel:
            let metrics = try ClassificationMetrics(labels: labels, gold: examples.map(\.label), predicted: predicted)
            return EvaluationResult(loss: mean, metrics: metrics, multiLabelMetrics: nil, predictions: predicted,
                                    predictedLabelSets: nil, logits: allLogits)
        case .multiLabel:
            let metrics = try MultiLabelMetrics(labels: labels, gold: examples.map { $0.multiLabels ?? [] }, predicted: sets)
            return EvaluationResult(loss: mean, metrics: nil, multiLabelMetrics: metrics, predictions: predicted,
                                    predictedLabelSets: sets, logits: allLogits)
        }
    }

    /// Index of the largest logit of a row (first on ties, like torch.argmax).
    static func argmax(_ logits: [Float], row: Int, classes: Int) -> Int {
        var best = 0
        for j in 1..<max(1, classes) where logits[row * classes + j] > logits[row * classes + best] { best = j }
        return best
    }
}
