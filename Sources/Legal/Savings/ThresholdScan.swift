// Scanning the routing threshold: documents with confidence < t go to a lawyer. The scan
// evaluates every distinct confidence (the only places the outcome changes) plus 0 and 1 to
// find the threshold with the largest net monthly savings (ties → the lowest threshold, i.e.
// the fewest documents routed), and a 0.00…1.00 grid for the savings-versus-threshold curve.
// Predictions are sorted by confidence once and swept with prefix sums: O(N log N), so a
// test set of millions of documents scans in well under a second.

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
        try p.validate()
        guard !predictions.isEmpty else { throw SavingsError.noDocuments }
        let matrix = try checkedMatrix(costs, classCount: classCount, p)
        let sweep = try Sweep(predictions, matrix)
        func report(_ t: Double) -> SavingsReport {
            let (automated, errors, cost) = sweep.kept(threshold: t)
            let n = Double(predictions.count)
            return compute(p, threshold: t, automated: Double(automated) / n, errorRate: Double(errors) / n, costPerDocument: cost / n)
        }
        var best = report(0)
        for t in Set([1.0] + sweep.confidences).sorted() {
            let r = report(t)
            if r.netMonthlySavings > best.netMonthlySavings { best = r }
        }
        let curve = ((0...100).map { Double($0) / 100 } + [best.threshold]).sorted().map { t -> ThresholdPoint in
            let r = report(t)
            let (automated, errors, _) = sweep.kept(threshold: t)
            return ThresholdPoint(threshold: t, automatedFraction: r.automatedFraction,
                                  automatedAccuracy: automated == 0 ? 1 : Double(automated - errors) / Double(automated),
                                  netMonthlySavings: r.netMonthlySavings)
        }
        return ThresholdScan(curve: curve, best: best)
    }
}

/// Predictions sorted by confidence with suffix sums of errors and error costs, so "what the
/// classifier keeps at threshold t" (confidence ≥ t) is one binary search.
struct Sweep {
    /// Ascending confidences, clamped to [0, 1].
    let confidences: [Double]
    /// errorsFrom[k] / costFrom[k]: errors and their cost among sorted predictions k..<N.
    let errorsFrom: [Int]
    let costFrom: [Double]

    init(_ predictions: [ScoredPrediction], _ matrix: CostMatrix) throws {
        let sorted = predictions.sorted { $0.confidence < $1.confidence }
        confidences = sorted.map { min(max($0.confidence, 0), 1) }
        var errors = [Int](repeating: 0, count: sorted.count + 1), cost = [Double](repeating: 0, count: sorted.count + 1)
        for k in stride(from: sorted.count - 1, through: 0, by: -1) {
            let s = sorted[k]
            var e = 0, c = 0.0
            if s.gold != s.predicted {
                guard matrix.costs.indices.contains(s.gold), matrix.costs.indices.contains(s.predicted) else {
                    throw SavingsError.confusionShape(expected: matrix.classCount, rows: max(s.gold, s.predicted) + 1)
                }
                e = 1; c = matrix.costs[s.gold][s.predicted]
            }
            errors[k] = errors[k + 1] + e
            cost[k] = cost[k + 1] + c
        }
        errorsFrom = errors; costFrom = cost
    }

    /// (documents kept, errors among them, their cost) for confidence ≥ t.
    func kept(threshold t: Double) -> (Int, Int, Double) {
        var lo = 0, hi = confidences.count          // first index with confidence ≥ t
        while lo < hi {
            let mid = (lo + hi) / 2
            if confidences[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return (confidences.count - lo, errorsFrom[lo], costFrom[lo])
    }
}
