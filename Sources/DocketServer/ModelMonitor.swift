// Drift and quality monitoring of a served model (the design's ModelMonitor):
// - the rolling distribution of predicted labels over the last `window` documents against the
//   training label distribution saved with the model (docket.json), as the population
//   stability index PSI = Σ_i (p_i − q_i)·ln(p_i / q_i), shares floored at 1e-4 so a label
//   absent on one side stays finite (the usual convention; < 0.1 stable, 0.1–0.25 moderate,
//   > 0.25 significant shift);
// - the mean confidence (top probability) and the share below the routing threshold;
// - rolling accuracy over the last `window` feedback items (gold labels sent back), with an
//   alert when it falls more than `alertDrop` below the evaluation accuracy recorded at
//   training time.
// Thread-safe: updates and reports take one lock; each update is O(1) per document.
import Foundation

/// What training recorded about the model (docket.json); either part may be missing.
public struct TrainingReference: Sendable, Equatable {
    /// Training examples per label.
    public var labelCounts: [String: Int]?
    /// Accuracy on the dev set at the saved checkpoint.
    public var evalAccuracy: Double?
    public init(labelCounts: [String: Int]? = nil, evalAccuracy: Double? = nil) {
        self.labelCounts = labelCounts; self.evalAccuracy = evalAccuracy
    }
}

/// The monitoring report (GET /monitor, `docket monitor`), snake_case JSON.
public struct MonitorReport: Codable, Sendable, Equatable {
    public var predictions: Int
    public var window: Int
    public var predictedDistribution: [String: Double]
    public var trainingDistribution: [String: Double]?
    public var psi: Double?
    /// "none" (< 0.1), "moderate" (0.1–0.25), "significant" (> 0.25); nil without a training distribution.
    public var drift: String?
    public var meanConfidence: Double?
    public var routingThreshold: Double
    public var lowConfidenceShare: Double?
    public var feedback: Int
    public var feedbackAccuracy: Double?
    public var evalAccuracy: Double?
    public var alertAccuracyDrop: Double
    public var accuracyAlert: Bool
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case predictions, window, psi, drift, feedback, notes
        case predictedDistribution = "predicted_distribution", trainingDistribution = "training_distribution"
        case meanConfidence = "mean_confidence", routingThreshold = "routing_threshold"
        case lowConfidenceShare = "low_confidence_share", feedbackAccuracy = "feedback_accuracy"
        case evalAccuracy = "eval_accuracy", alertAccuracyDrop = "alert_accuracy_drop", accuracyAlert = "accuracy_alert"
    }

    /// Pretty, key-sorted JSON.
    public var json: String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? e.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

public final class ModelMonitor: @unchecked Sendable {
    public struct Settings: Sendable {
        public var window: Int
        public var routingThreshold: Double
        public var alertAccuracyDrop: Double
        public var alertMinFeedback: Int
        public init(window: Int = 1_000, routingThreshold: Double = 0.5, alertAccuracyDrop: Double = 0.05, alertMinFeedback: Int = 50) {
            self.window = window; self.routingThreshold = routingThreshold
            self.alertAccuracyDrop = alertAccuracyDrop; self.alertMinFeedback = alertMinFeedback
        }
    }

    static let psiFloor = 1e-4
    /// Predictions remembered by id for feedback that names only the id.
    static let rememberedIds = 100_000

    public let labels: [String]
    public let reference: TrainingReference
    public let settings: Settings
    private let labelIndex: [String: Int]
    private let lock = NSLock()
    // Rolling predictions: ring of (label, confidence) with running sums.
    private var ring: [(label: Int, confidence: Float)] = []
    private var next = 0
    private var counts: [Int]
    private var confidenceSum = 0.0
    private var lowCount = 0
    // Rolling feedback: ring of correct/incorrect with a running count.
    private var feedbackRing: [Bool] = []
    private var feedbackNext = 0
    private var correct = 0
    private var alert = false
    // id → predicted label, oldest evicted first.
    private var byId: [String: Int] = [:]
    private var idOrder: [String] = []
    private var idNext = 0

    public init(labels: [String], reference: TrainingReference, settings: Settings) {
        self.labels = labels
        self.reference = reference
        self.settings = settings
        labelIndex = Dictionary(labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        counts = Array(repeating: 0, count: labels.count)
    }

    /// Adds predictions (label, top probability, optional id) to the rolling window.
    public func record(_ items: [(label: String, confidence: Float, id: String?)]) {
        lock.lock(); defer { lock.unlock() }
        for item in items {
            guard let l = labelIndex[item.label] else { continue }
            let entry = (label: l, confidence: item.confidence)
            if ring.count < settings.window {
                ring.append(entry)
            } else {
                let old = ring[next]
                counts[old.label] -= 1; confidenceSum -= Double(old.confidence)
                if Double(old.confidence) < settings.routingThreshold { lowCount -= 1 }
                ring[next] = entry
                next = (next + 1) % settings.window
            }
            counts[l] += 1; confidenceSum += Double(item.confidence)
            if Double(item.confidence) < settings.routingThreshold { lowCount += 1 }
            if let id = item.id { remember(id: id, label: l) }
        }
    }

    private func remember(id: String, label: Int) {
        if byId.updateValue(label, forKey: id) != nil { return }
        if idOrder.count < Self.rememberedIds { idOrder.append(id); return }
        byId.removeValue(forKey: idOrder[idNext])
        idOrder[idNext] = id
        idNext = (idNext + 1) % Self.rememberedIds
    }

    /// The predicted label remembered for `id` (from a /v1/classify document with an "id").
    public func predictedLabel(id: String) -> String? {
        lock.lock(); defer { lock.unlock() }
        return byId[id].map { labels[$0] }
    }

    /// Adds (predicted, gold) pairs; returns true when the accuracy alert switched on.
    @discardableResult
    public func feedback(_ pairs: [(predicted: String, gold: String)]) -> Bool {
        lock.lock(); defer { lock.unlock() }
        for p in pairs {
            let ok = p.predicted == p.gold
            if feedbackRing.count < settings.window {
                feedbackRing.append(ok)
            } else {
                if feedbackRing[feedbackNext] { correct -= 1 }
                feedbackRing[feedbackNext] = ok
                feedbackNext = (feedbackNext + 1) % settings.window
            }
            if ok { correct += 1 }
        }
        let was = alert
        alert = alertNow()
        return alert && !was
    }

    private func alertNow() -> Bool {
        guard let eval = reference.evalAccuracy, feedbackRing.count >= settings.alertMinFeedback else { return false }
        return Double(correct) / Double(feedbackRing.count) < eval - settings.alertAccuracyDrop
    }

    public func report() -> MonitorReport {
        lock.lock(); defer { lock.unlock() }
        let n = ring.count
        var predicted: [String: Double] = [:]
        for (i, l) in labels.enumerated() { predicted[l] = n > 0 ? Double(counts[i]) / Double(n) : 0 }
        var notes: [String] = []
        var training: [String: Double]?
        var psi: Double?
        if let ref = reference.labelCounts, case let total = ref.values.reduce(0, +), total > 0 {
            var t: [String: Double] = [:]
            for l in labels { t[l] = Double(ref[l] ?? 0) / Double(total) }
            training = t
            if n > 0 { psi = Self.psi(actual: labels.map { predicted[$0]! }, expected: labels.map { t[$0]! }) }
            else { notes.append("no predictions yet") }
        } else {
            notes.append("no training distribution recorded with the model (docket.json train_label_counts): PSI unavailable")
        }
        if reference.evalAccuracy == nil {
            notes.append("no evaluation accuracy recorded with the model (docket.json eval_accuracy): accuracy alert disabled")
        }
        let fb = feedbackRing.count
        return MonitorReport(
            predictions: n, window: settings.window, predictedDistribution: predicted, trainingDistribution: training,
            psi: psi, drift: psi.map(Self.driftLevel), meanConfidence: n > 0 ? confidenceSum / Double(n) : nil,
            routingThreshold: settings.routingThreshold, lowConfidenceShare: n > 0 ? Double(lowCount) / Double(n) : nil,
            feedback: fb, feedbackAccuracy: fb > 0 ? Double(correct) / Double(fb) : nil, evalAccuracy: reference.evalAccuracy,
            alertAccuracyDrop: settings.alertAccuracyDrop, accuracyAlert: alert, notes: notes)
    }

    /// PSI of `actual` against `expected` (shares over the same labels), each floored at 1e-4.
    public static func psi(actual: [Double], expected: [Double]) -> Double {
        zip(actual, expected).reduce(0) { sum, pair in
            let p = max(pair.0, psiFloor), q = max(pair.1, psiFloor)
            return sum + (p - q) * Foundation.log(p / q)
        }
    }

    static func driftLevel(_ psi: Double) -> String { psi < 0.1 ? "none" : psi <= 0.25 ? "moderate" : "significant" }
}
