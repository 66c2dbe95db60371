// Scanning the routing threshold: documents with confidence < t go to a lawyer. The scan
// evaluates every distinct confidence (the only places the outcome changes) plus 0 and 1 to
// find the threshold with the largest net monthly savings (ties → the lowest threshold, i.e.
// the fewest documents routed), and a 0.00…1.00 grid for the savings-versus-threshold curve.

public struct ThresholdPoint: Sendable, Equatable, Codable {
    public var threshold: Double
    public var automatedFraction: Double
    /// Accuracy on the documents the classifier keeps (1 when it keeps none).
    public var automatedAccuracy: Double
    public var netMonthlySavings: Double
}

public struct ThresholdScan: Sendable, Equatable, Codable {
    /// Grid points (step 0.01) plus the best point, sorted by threshold.
    public var curve: [ThresholdPoint]
    /// The report at the best threshold.
    public var best: SavingsReport
}

extension SavingsModel {
    public static func scanThresholds(predictions: [ScoredPrediction], classCount: Int, costs: CostMatrix? = nil,
                                      parameters p: SavingsParameters = .init()) throws -> ThresholdScan {
        guard !predictions.isEmpty else { throw SavingsError.noDocuments }
        let candidates = Set([0.0, 1.0] + predictions.map { min(max($0.confidence, 0), 1) }).sorted()
        var best: SavingsReport?
        for t in candidates {
            let r = try report(predictions: predictions, classCount: classCount, costs: costs, threshold: t, parameters: p)
            if best == nil || r.netMonthlySavings > (best?.netMonthlySavings ?? 0) { best = r }
        }
        guard let bestReport = best else { throw SavingsError.noDocuments }
        var curve: [ThresholdPoint] = []
        for t in (0...100).map({ Double($0) / 100 }) + [bestReport.threshold] {
            let r = try report(predictions: predictions, classCount: classCount, costs: costs, threshold: t, parameters: p)
            let kept = predictions.filter { $0.confidence >= t }
            let correct = kept.filter { $0.gold == $0.predicted }.count
            curve.append(ThresholdPoint(threshold: t, automatedFraction: r.automatedFraction,
                                        automatedAccuracy: kept.isEmpty ? 1 : Double(correct) / Double(kept.count),
                                        netMonthlySavings: r.netMonthlySavings))
        }
        curve.sort { $0.threshold < $1.threshold }
        return ThresholdScan(curve: curve, best: bestReport)
    }
}
