// Every figure of the legal-firm savings model (DESIGN.md §9), each a parameter.
// Defaults reproduce the default model: D = 1,000 documents/month, manual 0.5 h,
// assisted 0.01 h, $300/h, $500 per misclassification, $150,000 development.
import Foundation

public struct SavingsParameters: Sendable, Codable, Equatable {
    /// Documents triaged per month (D).
    public var documentsPerMonth: Double = 1_000
    /// Lawyer hours to triage one document by hand.
    public var manualHoursPerDocument: Double = 0.5
    /// Lawyer hours per document when the classifier triages it (spot check).
    public var assistedHoursPerDocument: Double = 0.01
    /// Lawyer cost per hour ($).
    public var hourlyRate: Double = 300
    /// Cost of one misclassified document ($), used when no cost matrix is given.
    public var misclassificationCost: Double = 500
    /// One-off development cost ($), spent at month 0.
    public var developmentCost: Double = 150_000
    /// Horizon for ROI and NPV (years).
    public var horizonYears: Double = 3
    /// Annual discount rate for NPV (0.08 = 8%), converted to the equivalent monthly rate
    /// (1 + r)^(1/12) − 1; monthly net savings arrive at the end of each month.
    public var annualDiscountRate: Double = 0.08

    public init() {}

    /// Checks every figure is finite and in range; names the first bad one.
    public func validate() throws {
        let checks: [(String, Double, Bool)] = [
            ("documents per month", documentsPerMonth, documentsPerMonth >= 0),
            ("manual hours", manualHoursPerDocument, manualHoursPerDocument >= 0),
            ("assisted hours", assistedHoursPerDocument, assistedHoursPerDocument >= 0),
            ("hourly rate", hourlyRate, hourlyRate >= 0),
            ("misclassification cost", misclassificationCost, misclassificationCost >= 0),
            ("development cost", developmentCost, developmentCost >= 0),
            ("horizon (years)", horizonYears, horizonYears > 0 && horizonYears <= 100),
            ("discount rate", annualDiscountRate, annualDiscountRate > -1 && annualDiscountRate <= 10),
        ]
        for (name, value, ok) in checks where !ok || !value.isFinite {
            throw SavingsError.invalidParameter(name: name, value: value)
        }
    }
}

/// Typed errors of the savings model.
public enum SavingsError: Error, Equatable, CustomStringConvertible {
    case invalidParameter(name: String, value: Double)
    case costMatrixShape(expected: Int, rows: Int, badRow: Int?)
    case costMatrixValue(row: Int, column: Int, value: Double)
    case costMatrixFile(path: String, reason: String)
    case confusionShape(expected: Int, rows: Int)
    case noDocuments
    case thresholdOutOfRange(Double)

    public var description: String {
        switch self {
        case let .invalidParameter(name, value): return "invalid \(name): \(value)"
        case let .costMatrixShape(expected, rows, badRow):
            if let r = badRow { return "cost matrix row \(r + 1) must have \(expected) entries" }
            return "cost matrix must be \(expected)×\(expected) (one row per true class), got \(rows) rows"
        case let .costMatrixValue(row, column, value):
            return "cost matrix entry [\(row + 1), \(column + 1)] must be a finite non-negative number, got \(value)"
        case let .costMatrixFile(path, reason): return "\(path): \(reason)"
        case let .confusionShape(expected, rows): return "confusion matrix must be \(expected)×\(expected), got \(rows) rows"
        case .noDocuments: return "no evaluated documents"
        case let .thresholdOutOfRange(t): return "threshold must be in [0, 1], got \(t)"
        }
    }
}

extension SavingsError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
