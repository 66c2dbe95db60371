// Evaluating a multi-label classifier (problem_type multi_label_classification) on documents
// with gold label lists: each label is predicted when its sigmoid probability is above the
// checkpoint's decision threshold for it; metrics are Training's MultiLabelMetrics (sklearn
// semantics: subset accuracy, Hamming loss, micro / macro and per-label P/R/F1).
import Foundation
import Training

public struct MultiLabelEvaluation: Sendable, Equatable {
    public var labels: [String]
    /// Decision thresholds used, in label-id order.
    public var thresholds: [Float]
    public var metrics: MultiLabelMetrics
    /// Per document: gold and predicted label ids, probabilities in label-id order.
    public var gold: [[Int]]
    public var predicted: [[Int]]
    public var probabilities: [[Float]]

    /// Classifies `examples` (each with gold `labels`) and scores the predictions.
    public static func make(classifier: TextClassifier, examples: [LabeledExample], batchSize: Int = 16,
                            progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> MultiLabelEvaluation {
        guard classifier.problemType == .multiLabel else {
            throw ClassifierError.invalidArgument("the model is single-label (problem_type is not multi_label_classification)")
        }
        let index = Dictionary(uniqueKeysWithValues: classifier.labels.enumerated().map { ($1, $0) })
        let gold = try examples.map { e -> [Int] in
            guard let names = e.labels else {
                throw ClassifierError.invalidArgument("line \(e.line): a multi-label model needs \"labels\" lists as gold labels")
            }
            return names.compactMap { index[$0] }.sorted()
        }
        let predictions = try classifier.classify(examples.map(\.text), pairs: examples.map(\.textPair), batchSize: batchSize,
                                                  progress: progress)
        let probabilities = predictions.map { p in classifier.labels.map { p.probabilities[$0] ?? 0 } }
        let predicted = predictions.map { p in p.labels.compactMap { index[$0] }.sorted() }
        return MultiLabelEvaluation(labels: classifier.labels, thresholds: classifier.decisionThresholds,
                                    metrics: try MultiLabelMetrics(labels: classifier.labels, gold: gold, predicted: predicted),
                                    gold: gold, predicted: predicted, probabilities: probabilities)
    }

    /// Plain-text summary: averages, then one row per label.
    public func renderText() -> String {
        let m = metrics
        func f(_ x: Double) -> String { String(format: "%.4f", x) }
        var out = "multi-label evaluation: \(m.documents) documents, \(labels.count) labels\n"
        out += "subset accuracy \(f(m.subsetAccuracy))  hamming loss \(f(m.hammingLoss))\n"
        out += "micro  precision \(f(m.microPrecision))  recall \(f(m.microRecall))  F1 \(f(m.microF1))\n"
        out += "macro  precision \(f(m.macroPrecision))  recall \(f(m.macroRecall))  F1 \(f(m.macroF1))\n"
        let width = max(5, labels.map(\.count).max() ?? 5)
        out += "label".padding(toLength: width, withPad: " ", startingAt: 0) + "  threshold  precision  recall  f1      support\n"
        for (j, c) in m.perLabel.enumerated() {
            out += c.label.padding(toLength: width, withPad: " ", startingAt: 0)
                + "  \(String(format: "%-9.4f", thresholds[j]))  \(f(c.precision))     \(f(c.recall))  \(f(c.f1))  \(c.support)\n"
        }
        return out
    }

    /// One JSON document (snake_case keys).
    public func jsonData() throws -> Data {
        let m = metrics
        let perLabel: [[String: Any]] = m.perLabel.enumerated().map { j, c in
            ["label": c.label, "threshold": Double(thresholds[j]), "precision": c.precision, "recall": c.recall, "f1": c.f1,
             "support": c.support]
        }
        let object: [String: Any] = [
            "problem_type": "multi_label_classification", "documents": m.documents, "labels": labels,
            "subset_accuracy": m.subsetAccuracy, "hamming_loss": m.hammingLoss,
            "micro_precision": m.microPrecision, "micro_recall": m.microRecall, "micro_f1": m.microF1,
            "macro_precision": m.macroPrecision, "macro_recall": m.macroRecall, "macro_f1": m.macroF1,
            "per_label": perLabel,
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
