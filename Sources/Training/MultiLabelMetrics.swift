// Multi-label classification metrics over label-indicator rows, mirroring scikit-learn on
// indicator matrices: accuracy_score = subset accuracy (every label of a document right),
// precision_recall_fscore_support(average="micro" | "macro" | None, zero_division=0), and
// hamming_loss. Per-label F1 = 2·tp / (2·tp + fp + fn) (sklearn ≥ 1.3), 0 when undefined.

public struct MultiLabelMetrics: Sendable, Codable, Equatable {
    public let labels: [String]
    /// Documents whose predicted label set equals the gold set exactly.
    public let subsetAccuracy: Double
    /// Fraction of (document, label) decisions that are wrong.
    public let hammingLoss: Double
    public let microPrecision: Double
    public let microRecall: Double
    public let microF1: Double
    public let macroPrecision: Double
    public let macroRecall: Double
    public let macroF1: Double
    /// Per label: precision, recall, F1 and support (documents that carry it).
    public let perLabel: [ClassMetrics]
    public let documents: Int

    /// Metrics from gold and predicted label-id sets (one per document).
    public init(labels: [String], gold: [[Int]], predicted: [[Int]]) throws {
        guard gold.count == predicted.count else {
            throw MetricsError.lengthMismatch(gold: gold.count, predicted: predicted.count)
        }
        let k = labels.count
        var tp = [Int](repeating: 0, count: k), fp = tp, fn = tp
        var exact = 0, wrong = 0
        for (g, p) in zip(gold, predicted) {
            for i in g + p where !(0..<k).contains(i) { throw MetricsError.indexOutOfRange(index: i, labels: k) }
            let gs = Set(g), ps = Set(p)
            if gs == ps { exact += 1 }
            for j in 0..<k {
                switch (gs.contains(j), ps.contains(j)) {
                case (true, true): tp[j] += 1
                case (false, true): fp[j] += 1; wrong += 1
                case (true, false): fn[j] += 1; wrong += 1
                case (false, false): break
                }
            }
        }
        func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
        self.labels = labels
        documents = gold.count
        subsetAccuracy = ratio(exact, gold.count)
        hammingLoss = ratio(wrong, gold.count * k)
        perLabel = (0..<k).map { j in
            ClassMetrics(label: labels[j], precision: ratio(tp[j], tp[j] + fp[j]), recall: ratio(tp[j], tp[j] + fn[j]),
                         f1: ratio(2 * tp[j], 2 * tp[j] + fp[j] + fn[j]), support: tp[j] + fn[j])
        }
        let (t, f, n) = (tp.reduce(0, +), fp.reduce(0, +), fn.reduce(0, +))
        microPrecision = ratio(t, t + f); microRecall = ratio(t, t + n); microF1 = ratio(2 * t, 2 * t + f + n)
        let per = perLabel
        func macro(_ v: (ClassMetrics) -> Double) -> Double { per.isEmpty ? 0 : per.reduce(0) { $0 + v($1) } / Double(per.count) }
        macroPrecision = macro(\.precision); macroRecall = macro(\.recall); macroF1 = macro(\.f1)
    }
}

/// Per-label decision thresholds of a multi-label classifier: label j is predicted when its
/// sigmoid probability is above thresholds[j] (default 0.5, i.e. logit > 0).
public enum DecisionThresholds {
    public static let defaultValue: Float = 0.5

    /// The label ids whose probability is above their threshold.
    public static func predict(_ probabilities: [Float], thresholds: [Float]) -> [Int] {
        probabilities.indices.filter { probabilities[$0] > (thresholds.indices.contains($0) ? thresholds[$0] : defaultValue) }
    }

    /// For each label independently, the threshold that maximises its F1 on `probabilities`
    /// (rows of K) against `gold` (label-id sets). Candidates are 0.5 and the midpoints between
    /// consecutive distinct probabilities of the label; ties go to the candidate closest to 0.5,
    /// so a label without positives (F1 0 everywhere) keeps 0.5.
    public static func tune(probabilities: [[Float]], gold: [[Int]], classes: Int) -> [Float] {
        (0..<classes).map { j in
            let scored = zip(probabilities, gold).map { (p: $0[j], positive: $1.contains(j)) }.sorted { $0.p > $1.p }
            let positives = scored.filter(\.positive).count
            var best = (f1: f1(tp: scored.filter { $0.positive && $0.p > defaultValue }.count,
                               predicted: scored.filter { $0.p > defaultValue }.count, positives: positives),
                        t: defaultValue)
            // Sweep from the highest probability down: predicting the first i documents.
            var tp = 0
            for i in scored.indices {
                if scored[i].positive { tp += 1 }
                let next = i + 1 < scored.count ? scored[i + 1].p : nil
                guard next == nil || next! < scored[i].p else { continue }  // only between distinct values
                let t = next.map { ($0 + scored[i].p) / 2 } ?? scored[i].p / 2
                let f = f1(tp: tp, predicted: i + 1, positives: positives)
                if f > best.f1 || (f == best.f1 && abs(t - defaultValue) < abs(best.t - defaultValue)) { best = (f, t) }
            }
            return best.t
        }
    }

    private static func f1(tp: Int, predicted: Int, positives: Int) -> Double {
        predicted + positives == 0 ? 0 : 2 * Double(tp) / Double(predicted + positives)
    }
}
