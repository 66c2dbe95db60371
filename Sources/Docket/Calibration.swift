// Calibration of a classifier's confidences.
// - Expected calibration error (Guo et al. 2017): B equal-width bins over [0, 1]; bin b holds
//   confidences in (b/B, (b+1)/B] (confidence 0 joins the first bin);
//   ECE = Σ_b |B_b|/N · |accuracy(B_b) − mean confidence(B_b)|.
// - Temperature scaling: one scalar T > 0 dividing the logits, fitted on a dev set by
//   minimising the mean negative log-likelihood. NLL is convex in β = 1/T, so a safeguarded
//   Newton iteration on dNLL/dβ = 0 (bisection fallback inside [1/Tmax, 1/Tmin]) converges to the
//   unique optimum. Logits may be log-probabilities: softmax is invariant to a per-row shift.
import Foundation

public struct ReliabilityBin: Sendable, Equatable, Codable {
    public var lower: Double
    public var upper: Double
    public var count: Int
    public var accuracy: Double
    public var meanConfidence: Double
}

public enum CalibrationError: Error, Equatable, CustomStringConvertible {
    case lengthMismatch(Int, Int)
    case empty
    case badLabel(index: Int, label: Int, classes: Int)
    case nonFinite(index: Int)
    case rowLength(index: Int, got: Int, expected: Int)

    public var description: String {
        switch self {
        case let .lengthMismatch(a, b): return "calibration inputs differ in length (\(a) vs \(b))"
        case .empty: return "calibration needs at least one example"
        case let .badLabel(i, label, k): return "example \(i): label \(label) outside 0..<\(k)"
        case let .nonFinite(i): return "example \(i): logits must be finite"
        case let .rowLength(i, got, expected): return "example \(i): \(got) probabilities for \(expected) labels"
        }
    }
}

public enum Calibration {
    /// Per-bin counts, accuracies and mean confidences (empty bins have count 0).
    public static func reliabilityBins(confidences: [Double], correct: [Bool], bins: Int = 15) throws -> [ReliabilityBin] {
        guard confidences.count == correct.count else { throw CalibrationError.lengthMismatch(confidences.count, correct.count) }
        guard !confidences.isEmpty, bins > 0 else { throw CalibrationError.empty }
        var count = [Int](repeating: 0, count: bins), hits = count
        var confSum = [Double](repeating: 0, count: bins)
        for (c, ok) in zip(confidences, correct) {
            // Smallest b with c <= (b+1)/B, i.e. ceil(c·B) − 1, clamped to [0, B−1].
            let b = min(bins - 1, max(0, Int((c * Double(bins)).rounded(.up)) - 1))
            count[b] += 1; confSum[b] += c
            if ok { hits[b] += 1 }
        }
        return (0..<bins).map { b in
            ReliabilityBin(lower: Double(b) / Double(bins), upper: Double(b + 1) / Double(bins), count: count[b],
                           accuracy: count[b] > 0 ? Double(hits[b]) / Double(count[b]) : 0,
                           meanConfidence: count[b] > 0 ? confSum[b] / Double(count[b]) : 0)
        }
    }

    public static func expectedCalibrationError(confidences: [Double], correct: [Bool], bins: Int = 15) throws -> Double {
        let table = try reliabilityBins(confidences: confidences, correct: correct, bins: bins)
        let n = Double(confidences.count)
        return table.reduce(0) { $0 + Double($1.count) / n * abs($1.accuracy - $1.meanConfidence) }
    }

    /// softmax(logits / temperature), computed stably in double precision.
    public static func softmax(_ logits: [Double], temperature: Double = 1) -> [Double] {
        let scaled = logits.map { $0 / temperature }
        let m = scaled.max() ?? 0
        let e = scaled.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// Mean −log softmax(z / T)[y].
    public static func negativeLogLikelihood(logits: [[Double]], labels: [Int], temperature: Double) throws -> Double {
        try check(logits, labels)
        var total = 0.0
        for (z, y) in zip(logits, labels) {
            let s = z.map { $0 / temperature }, m = s.max() ?? 0
            total += log(s.reduce(0) { $0 + exp($1 - m) }) + m - s[y]
        }
        return total / Double(labels.count)
    }

    /// The temperature in [minimum, maximum] minimising the NLL of `labels` under softmax(logits / T).
    public static func fitTemperature(logits: [[Double]], labels: [Int], minimum: Double = 0.01, maximum: Double = 100) throws -> Double {
        try check(logits, labels)
        var lo = 1 / maximum, hi = 1 / minimum          // bracket on β = 1/T
        let (gLo, _) = derivatives(logits, labels, beta: lo)
        if gLo >= 0 { return maximum }                  // NLL increasing everywhere: flattest allowed
        let (gHi, _) = derivatives(logits, labels, beta: hi)
        if gHi <= 0 { return minimum }                  // still decreasing: sharpest allowed
        var beta = min(max(1, lo), hi)
        for _ in 0..<200 {
            let (g, h) = derivatives(logits, labels, beta: beta)
            if g > 0 { hi = beta } else { lo = beta }
            var next = h > 0 ? beta - g / h : .nan
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }   // Newton left the bracket: bisect
            if abs(next - beta) <= 1e-13 * max(1, beta) { beta = next; break }
            beta = next
        }
        return 1 / beta
    }

    /// First and second derivatives of the mean NLL in β: E_p[z] − z_y and Var_p[z].
    static func derivatives(_ logits: [[Double]], _ labels: [Int], beta: Double) -> (Double, Double) {
        var g = 0.0, h = 0.0
        for (z, y) in zip(logits, labels) {
            let p = softmax(z.map { $0 * beta })
            let mean = zip(p, z).reduce(0) { $0 + $1.0 * $1.1 }
            let second = zip(p, z).reduce(0) { $0 + $1.0 * $1.1 * $1.1 }
            g += mean - z[y]
            h += second - mean * mean
        }
        let n = Double(labels.count)
        return (g / n, h / n)
    }

    static func check(_ logits: [[Double]], _ labels: [Int]) throws {
        guard logits.count == labels.count else { throw CalibrationError.lengthMismatch(logits.count, labels.count) }
        guard !labels.isEmpty else { throw CalibrationError.empty }
        for (i, (z, y)) in zip(logits, labels).enumerated() {
            guard z.indices.contains(y) else { throw CalibrationError.badLabel(index: i, label: y, classes: z.count) }
            guard z.allSatisfy(\.isFinite) else { throw CalibrationError.nonFinite(index: i) }
        }
    }
}

extension CalibrationError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
