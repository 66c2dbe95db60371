// Class weights for the cross-entropy loss: explicit ("1,2.5,1") or "balanced", which is
// scikit-learn's compute_class_weight("balanced"): n_samples / (n_classes · count[c]).

public enum ClassWeightSpec: Sendable, Codable, Equatable {
    case balanced
    case explicit([Double])

    /// Parses a `--class-weights` value: "balanced" or comma-separated positive numbers.
    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.lowercased() == "balanced" { self = .balanced; return }
        var ws: [Double] = []
        for part in t.split(separator: ",", omittingEmptySubsequences: false) {
            let s = part.trimmingCharacters(in: .whitespaces)
            guard let w = Double(s), w.isFinite, w > 0 else {
                throw TrainingError.invalidArgument("class weight '\(s)' is not a positive number (use 'balanced' or w1,w2,...)")
            }
            ws.append(w)
        }
        self = .explicit(ws)
    }

    /// Per-class weights for label ids 0..<classes given the training labels.
    public func weights(classes: Int, trainingLabels: [Int]) throws -> [Float] {
        switch self {
        case .explicit(let ws):
            guard ws.count == classes else {
                throw TrainingError.invalidArgument("\(ws.count) class weights given for \(classes) labels")
            }
            return ws.map { Float($0) }
        case .balanced:
            var counts = [Int](repeating: 0, count: classes)
            for y in trainingLabels where (0..<classes).contains(y) { counts[y] += 1 }
            if let missing = counts.firstIndex(of: 0) {
                throw TrainingError.invalidArgument("balanced class weights: label id \(missing) has no training examples")
            }
            let n = Double(trainingLabels.count)
            return counts.map { Float(n / (Double(classes) * Double($0))) }
        }
    }
}

import Foundation
