// The savings arithmetic. One core: given the share of documents the classifier handles
// (the rest are routed to a lawyer) and the expected misclassification cost per document,
// compute the monthly figures, payback, ROI and NPV. The default model (DESIGN.md §9) is the
// case "everything automated, uniform $500 per error": m = (1 − accuracy) × $500.
import Foundation

/// One evaluated document: gold and predicted class indices and the predicted class's probability.
public struct ScoredPrediction: Sendable, Equatable, Codable {
    public var gold: Int
    public var predicted: Int
    public var confidence: Double
    public init(gold: Int, predicted: Int, confidence: Double) {
        self.gold = gold; self.predicted = predicted; self.confidence = confidence
    }
}

/// Every output figure of the savings model, with the inputs that produced it.
public struct SavingsReport: Sendable, Equatable, Codable {
    public var parameters: SavingsParameters
    /// Confidence threshold below which documents go to a lawyer (0 = none routed).
    public var threshold: Double
    /// Share of documents the classifier triages; 1 − this share is routed to a lawyer.
    public var automatedFraction: Double
    /// Share of all documents that are automated and misclassified.
    public var misclassificationRate: Double
    /// Expected misclassification cost per document ($), over all documents.
    public var misclassificationCostPerDocument: Double
    public var hoursSavedPerMonth: Double
    public var costSavedPerMonth: Double
    public var misclassificationCostPerMonth: Double
    public var netMonthlySavings: Double
    public var annualSavings: Double
    /// Development cost ÷ net monthly savings; +∞ when net ≤ 0 (encoded as null in JSON).
    public var paybackMonths: Double
    public var horizonMonths: Int
    /// (net monthly × horizon months − development cost) ÷ development cost, undiscounted.
    public var roi: Double
    /// −development cost + Σ_{m=1..M} net monthly / (1 + i)^m, i = (1 + annual rate)^(1/12) − 1.
    public var npv: Double

    enum CodingKeys: String, CodingKey {
        case parameters, threshold, automatedFraction, misclassificationRate, misclassificationCostPerDocument,
             hoursSavedPerMonth, costSavedPerMonth, misclassificationCostPerMonth, netMonthlySavings,
             annualSavings, paybackMonths, horizonMonths, roi, npv
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(automatedFraction, forKey: .automatedFraction)
        try c.encode(misclassificationRate, forKey: .misclassificationRate)
        try c.encode(misclassificationCostPerDocument, forKey: .misclassificationCostPerDocument)
        try c.encode(hoursSavedPerMonth, forKey: .hoursSavedPerMonth)
        try c.encode(costSavedPerMonth, forKey: .costSavedPerMonth)
        try c.encode(misclassificationCostPerMonth, forKey: .misclassificationCostPerMonth)
        try c.encode(netMonthlySavings, forKey: .netMonthlySavings)
        try c.encode(annualSavings, forKey: .annualSavings)
        try c.encode(paybackMonths.isFinite ? paybackMonths : nil, forKey: .paybackMonths)
        try c.encode(horizonMonths, forKey: .horizonMonths)
        try c.encode(roi.isFinite ? roi : nil, forKey: .roi)
        try c.encode(npv, forKey: .npv)
    }
}

public enum SavingsModel {
    /// The default model from an accuracy alone (everything automated, uniform error cost).
    public static func report(accuracy: Double, parameters p: SavingsParameters = .init()) throws -> SavingsReport {
        try p.validate()
        guard accuracy.isFinite, (0...1).contains(accuracy) else { throw SavingsError.invalidParameter(name: "accuracy", value: accuracy) }
        return compute(p, threshold: 0, automated: 1, errorRate: 1 - accuracy,
                       costPerDocument: (1 - accuracy) * p.misclassificationCost)
    }

    /// Per-class costs: the confusion matrix (rows gold, columns predicted) normalised to
    /// per-document rates, weighted by the cost matrix (uniform at the parameter's cost when nil).
    public static func report(confusion: [[Int]], costs: CostMatrix? = nil,
                              parameters p: SavingsParameters = .init()) throws -> SavingsReport {
        try p.validate()
        let k = confusion.count
        guard confusion.allSatisfy({ $0.count == k }) else { throw SavingsError.confusionShape(expected: k, rows: confusion.count) }
        let matrix = try costs ?? CostMatrix.uniform(classCount: k, cost: p.misclassificationCost)
        guard matrix.classCount == k else { throw SavingsError.costMatrixShape(expected: k, rows: matrix.classCount, badRow: nil) }
        let n = confusion.joined().reduce(0, +)
        guard n > 0 else { throw SavingsError.noDocuments }
        var cost = 0.0, errors = 0
        for i in 0..<k { for j in 0..<k where i != j {
            cost += Double(confusion[i][j]) * matrix.costs[i][j]
            errors += confusion[i][j]
        } }
        return compute(p, threshold: 0, automated: 1, errorRate: Double(errors) / Double(n), costPerDocument: cost / Double(n))
    }

    /// Routing: documents whose confidence is below `threshold` go to a lawyer (manual hours,
    /// no misclassification); the rest are triaged by the classifier at the cost-matrix rates.
    public static func report(predictions: [ScoredPrediction], classCount: Int, costs: CostMatrix? = nil,
                              threshold: Double, parameters p: SavingsParameters = .init()) throws -> SavingsReport {
        try p.validate()
        guard threshold.isFinite, (0...1).contains(threshold) else { throw SavingsError.thresholdOutOfRange(threshold) }
        let matrix = try checkedMatrix(costs, classCount: classCount, p)
        guard !predictions.isEmpty else { throw SavingsError.noDocuments }
        var automated = 0, errors = 0, cost = 0.0
        for s in predictions where s.confidence >= threshold {
            automated += 1
            if s.gold != s.predicted {
                guard matrix.costs.indices.contains(s.gold), matrix.costs.indices.contains(s.predicted) else {
                    throw SavingsError.confusionShape(expected: classCount, rows: max(s.gold, s.predicted) + 1)
                }
                errors += 1
                cost += matrix.costs[s.gold][s.predicted]
            }
        }
        let n = Double(predictions.count)
        return compute(p, threshold: threshold, automated: Double(automated) / n, errorRate: Double(errors) / n,
                       costPerDocument: cost / n)
    }

    static func checkedMatrix(_ costs: CostMatrix?, classCount: Int, _ p: SavingsParameters) throws -> CostMatrix {
        let matrix = try costs ?? CostMatrix.uniform(classCount: classCount, cost: p.misclassificationCost)
        guard matrix.classCount == classCount else {
            throw SavingsError.costMatrixShape(expected: classCount, rows: matrix.classCount, badRow: nil)
        }
        return matrix
    }

    /// The shared arithmetic (all per month).
    static func compute(_ p: SavingsParameters, threshold: Double, automated: Double, errorRate: Double,
                        costPerDocument: Double) -> SavingsReport {
        let hours = p.documentsPerMonth * automated * (p.manualHoursPerDocument - p.assistedHoursPerDocument)
        let saved = hours * p.hourlyRate
        let misclassification = p.documentsPerMonth * costPerDocument
        let net = saved - misclassification
        let months = max(1, Int((p.horizonYears * 12).rounded()))
        let payback = net > 0 ? p.developmentCost / net : .infinity
        let roi = p.developmentCost > 0 ? (net * Double(months) - p.developmentCost) / p.developmentCost : .infinity
        return SavingsReport(
            parameters: p, threshold: threshold, automatedFraction: automated, misclassificationRate: errorRate,
            misclassificationCostPerDocument: costPerDocument, hoursSavedPerMonth: hours, costSavedPerMonth: saved,
            misclassificationCostPerMonth: misclassification, netMonthlySavings: net, annualSavings: 12 * net,
            paybackMonths: payback, horizonMonths: months, roi: roi,
            npv: npv(monthly: net, months: months, annualRate: p.annualDiscountRate, upfront: p.developmentCost))
    }

    /// Net present value of `months` end-of-month payments after an upfront cost at month 0.
    public static func npv(monthly: Double, months: Int, annualRate: Double, upfront: Double) -> Double {
        let factor = 1 / pow(1 + annualRate, 1.0 / 12.0)   // 1 / (1 + i)
        var discount = 1.0, total = -upfront
        for _ in 0..<months {
            discount *= factor
            total += monthly * discount
        }
        return total
    }
}
