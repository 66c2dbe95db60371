// Evaluating a classifier's probabilities against gold labels: the metrics (Training's
// ClassificationMetrics, sklearn semantics), calibration (ECE over 15 bins, the reliability
// table) and, when dev-set probabilities are given, temperature scaling fitted on the dev set
// and applied to the test probabilities (log-probabilities serve as logits).
import Foundation
import Training

/// The predictions of one evaluated document.
public struct EvaluatedDocument: Sendable, Codable, Equatable {
    public var gold: Int
    public var predicted: Int
    /// Probability of the predicted class.
    public var confidence: Double
    public var probabilities: [Double]

    public init(gold: Int, probabilities: [Double]) {
        var best = 0
        for k in probabilities.indices where probabilities[k] > probabilities[best] { best = k }
        self.gold = gold; self.predicted = best
        self.confidence = probabilities.isEmpty ? 0 : probabilities[best]
        self.probabilities = probabilities
    }
}

/// Calibration before and (with a dev set) after temperature scaling.
public struct CalibrationSummary: Sendable, Codable, Equatable {
    public var bins: Int
    public var ece: Double
    public var reliability: [ReliabilityBin]
    /// Fitted on the dev set; nil without one.
    public var temperature: Double?
    public var eceAfterTemperature: Double?
    public var devNLLBefore: Double?
    public var devNLLAfter: Double?
}

public struct EvaluationReport: Sendable, Codable, Equatable {
    public var labels: [String]
    public var metrics: ClassificationMetrics
    public var calibration: CalibrationSummary
    public var documents: [EvaluatedDocument]

    /// - Parameters:
    ///   - gold: class index per test document; probabilities: one row of `labels.count` per document.
    ///   - dev: optional (gold, probabilities) of a dev set for temperature scaling.
    public static func make(labels: [String], gold: [Int], probabilities: [[Double]],
                            dev: (gold: [Int], probabilities: [[Double]])? = nil, bins: Int = 15) throws -> EvaluationReport {
        guard gold.count == probabilities.count else { throw CalibrationError.lengthMismatch(gold.count, probabilities.count) }
        guard !gold.isEmpty else { throw CalibrationError.empty }
        for (i, row) in probabilities.enumerated() {
            guard row.count == labels.count else { throw CalibrationError.rowLength(index: i, got: row.count, expected: labels.count) }
            guard row.allSatisfy(\.isFinite) else { throw CalibrationError.nonFinite(index: i) }
        }
        for (i, g) in gold.enumerated() where !labels.indices.contains(g) {
            throw CalibrationError.badLabel(index: i, label: g, classes: labels.count)
        }
        let docs = zip(gold, probabilities).map { EvaluatedDocument(gold: $0, probabilities: $1) }
        let metrics = try ClassificationMetrics(labels: labels, gold: gold, predicted: docs.map(\.predicted))
        let reliability = try Calibration.reliabilityBins(confidences: docs.map(\.confidence),
                                                          correct: docs.map { $0.gold == $0.predicted }, bins: bins)
        let ece = try Calibration.expectedCalibrationError(confidences: docs.map(\.confidence),
                                                           correct: docs.map { $0.gold == $0.predicted }, bins: bins)
        var calibration = CalibrationSummary(bins: bins, ece: ece, reliability: reliability)
        if let dev {
            let devLogits = dev.probabilities.map(logits)
            let t = try Calibration.fitTemperature(logits: devLogits, labels: dev.gold)
            let scaled = probabilities.map { Calibration.softmax(logits($0), temperature: t) }
            let scaledDocs = zip(gold, scaled).map { EvaluatedDocument(gold: $0, probabilities: $1) }
            calibration.temperature = t
            calibration.eceAfterTemperature = try Calibration.expectedCalibrationError(
                confidences: scaledDocs.map(\.confidence), correct: scaledDocs.map { $0.gold == $0.predicted }, bins: bins)
            calibration.devNLLBefore = try Calibration.negativeLogLikelihood(logits: devLogits, labels: dev.gold, temperature: 1)
            calibration.devNLLAfter = try Calibration.negativeLogLikelihood(logits: devLogits, labels: dev.gold, temperature: t)
        }
        return EvaluationReport(labels: labels, metrics: metrics, calibration: calibration, documents: docs)
    }

    /// log p, floored at 1e-45 (the smallest positive float) so a zero probability stays finite.
    static func logits(_ p: [Double]) -> [Double] { p.map { log(max($0, 1e-45)) } }
}
