// Classification metrics from a confusion matrix, mirroring scikit-learn's
// `accuracy_score` and `precision_recall_fscore_support(..., labels=all, zero_division=0)`:
// a ratio whose denominator is zero is 0, and macro averages include every label of the
// matrix (also labels with zero support), exactly like sklearn when `labels=` names them.
import Foundation

/// Errors building a confusion matrix.
public enum MetricsError: Error, Equatable, CustomStringConvertible {
    case notSquare(labels: Int, rows: Int, badRow: Int?)
    case negativeCount(row: Int, column: Int)
    case indexOutOfRange(index: Int, labels: Int)
    case lengthMismatch(gold: Int, predicted: Int)

    public var description: String {
        switch self {
        case let .notSquare(labels, rows, badRow):
            if let r = badRow { return "confusion matrix row \(r) does not have \(labels) columns" }
            return "confusion matrix has \(rows) rows for \(labels) labels"
        case let .negativeCount(row, column): return "confusion matrix count at [\(row)][\(column)] is negative"
        case let .indexOutOfRange(index, labels): return "class index \(index) is outside 0..<\(labels)"
        case let .lengthMismatch(gold, predicted): return "\(gold) gold labels but \(predicted) predictions"
        }
    }
}

/// counts[gold][predicted]: rows are true classes, columns predictions (sklearn's layout).
public struct ConfusionMatrix: Sendable, Codable, Equatable {
    public let labels: [String]
    public private(set) var counts: [[Int]]

    /// An all-zero matrix over `labels`.
    public init(labels: [String]) {
        self.labels = labels
        counts = Array(repeating: Array(repeating: 0, count: labels.count), count: labels.count)
    }

    /// A matrix from given counts (labels.count × labels.count, non-negative).
    public init(labels: [String], counts: [[Int]]) throws {
        guard counts.count == labels.count else {
            throw MetricsError.notSquare(labels: labels.count, rows: counts.count, badRow: nil)
        }
        for (r, row) in counts.enumerated() {
            guard row.count == labels.count else {
                throw MetricsError.notSquare(labels: labels.count, rows: counts.count, badRow: r)
            }
            if let c = row.firstIndex(where: { $0 < 0 }) { throw MetricsError.negativeCount(row: r, column: c) }
        }
        self.labels = labels
        self.counts = counts
    }

    /// A matrix from parallel arrays of gold and predicted class indices.
    public init(labels: [String], gold: [Int], predicted: [Int]) throws {
        guard gold.count == predicted.count else {
            throw MetricsError.lengthMismatch(gold: gold.count, predicted: predicted.count)
        }
        self.init(labels: labels)
        for (g, p) in zip(gold, predicted) { try add(gold: g, predicted: p) }
    }

    public mutating func add(gold: Int, predicted: Int) throws {
        for i in [gold, predicted] where !(0..<labels.count).contains(i) {
            throw MetricsError.indexOutOfRange(index: i, labels: labels.count)
        }
        counts[gold][predicted] += 1
    }

    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    public var correct: Int { (0..<labels.count).reduce(0) { $0 + counts[$1][$1] } }
    /// Row sum: how many examples truly belong to class `k`.
    public func support(_ k: Int) -> Int { counts[k].reduce(0, +) }
    /// Column sum: how many examples were predicted as class `k`.
    public func predictedCount(_ k: Int) -> Int { counts.reduce(0) { $0 + $1[k] } }
}

/// Precision, recall, F1 and support of one class.
public struct ClassMetrics: Sendable, Codable, Equatable {
    public let label: String
    public let precision: Double
    public let recall: Double
    public let f1: Double
    public let support: Int
}

/// Accuracy, per-class P/R/F1/support, macro and support-weighted averages.
public struct ClassificationMetrics: Sendable, Codable, Equatable {
    public let confusion: ConfusionMatrix
    public let accuracy: Double
    public let perClass: [ClassMetrics]
    public let macroPrecision: Double
    public let macroRecall: Double
    public let macroF1: Double
    public let weightedPrecision: Double
    public let weightedRecall: Double
    public let weightedF1: Double

    public init(confusion: ConfusionMatrix) {
        self.confusion = confusion
        let total = confusion.total
        accuracy = Self.ratio(confusion.correct, total)
        perClass = confusion.labels.indices.map { k in
            let tp = confusion.counts[k][k]
            let predicted = confusion.predictedCount(k), support = confusion.support(k)
            // sklearn ≥ 1.3: F1 = 2·tp / (2·tp + fp + fn), zero_division → 0.
            let f1 = Self.ratio(2 * tp, predicted + support)
            return ClassMetrics(label: confusion.labels[k], precision: Self.ratio(tp, predicted),
                                recall: Self.ratio(tp, support), f1: f1, support: support)
        }
        let classes = perClass
        func macro(_ f: (ClassMetrics) -> Double) -> Double {
            classes.isEmpty ? 0 : classes.reduce(0) { $0 + f($1) } / Double(classes.count)
        }
        func weighted(_ f: (ClassMetrics) -> Double) -> Double {
            total == 0 ? 0 : classes.reduce(0) { $0 + f($1) * Double($1.support) } / Double(total)
        }
        macroPrecision = macro(\.precision); macroRecall = macro(\.recall); macroF1 = macro(\.f1)
        weightedPrecision = weighted(\.precision); weightedRecall = weighted(\.recall); weightedF1 = weighted(\.f1)
    }

    /// Metrics from gold and predicted class indices.
    public init(labels: [String], gold: [Int], predicted: [Int]) throws {
        self.init(confusion: try ConfusionMatrix(labels: labels, gold: gold, predicted: predicted))
    }

    @inline(__always) private static func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}

extension MetricsError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
