// Training curves from the trainer's JSONL log (Training/TrainingLog.swift):
//   {"type":"step","step":..,"epoch":..,"loss":..,...}   one per optimizer step
//   {"type":"eval","step":..,"epoch":..,"loss":..,"accuracy":..,"macro_f1":..,...}   one per dev evaluation
// Per epoch (1-based; a step's fractional epoch e belongs to epoch ⌈e⌉): the mean training loss of its steps, and the dev loss / accuracy of its last eval.
import DocketBase
import Foundation

public struct EpochPoint: Sendable, Codable, Equatable {
    public var epoch: Int
    public var trainLoss: Double?
    public var devLoss: Double?
    public var devAccuracy: Double?

    public init(epoch: Int, trainLoss: Double?, devLoss: Double?, devAccuracy: Double?) {
        self.epoch = epoch; self.trainLoss = trainLoss; self.devLoss = devLoss; self.devAccuracy = devAccuracy
    }
}

public struct TrainingCurve: Sendable, Codable, Equatable {
    public var epochs: [EpochPoint]
    public var steps: Int

    public init(epochs: [EpochPoint], steps: Int) { self.epochs = epochs; self.steps = steps }

    /// Parses a training log; lines that are not JSON objects with a known "type" are errors
    /// naming the file and line.
    public static func load(_ url: URL) throws -> TrainingCurve {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw ReportError.trainingLog(path: url.path, line: 0, reason: "cannot read the file (\(FileProblem.reading(url.path, error: error)))")
        }
        var trainSums: [Int: (Double, Int)] = [:], evals: [Int: (Double?, Double?)] = [:]
        var steps = 0
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let type = object["type"] as? String else {
                throw ReportError.trainingLog(path: url.path, line: i + 1, reason: "not a JSON object with a \"type\"")
            }
            // Step lines carry fractional progress (0.008 … 1.0 is epoch 1); eval lines whole epochs.
            let progress = (object["epoch"] as? NSNumber)?.doubleValue ?? 0
            let epoch = max(1, Int((progress - 1e-9).rounded(.up)))
            let loss = (object["loss"] as? NSNumber)?.doubleValue
            switch type {
            case "step":
                steps += 1
                if let loss, loss.isFinite {
                    let (s, n) = trainSums[epoch] ?? (0, 0)
                    trainSums[epoch] = (s + loss, n + 1)
                }
            case "eval":
                evals[epoch] = (loss, (object["accuracy"] as? NSNumber)?.doubleValue)
            default:
                continue   // other record types (future additions) are ignored
            }
        }
        let epochs = Set(trainSums.keys).union(evals.keys).sorted().map { e in
            EpochPoint(epoch: e, trainLoss: trainSums[e].map { $0.0 / Double($0.1) },
                       devLoss: evals[e]?.0, devAccuracy: evals[e]?.1)
        }
        return TrainingCurve(epochs: epochs, steps: steps)
    }
}

public enum ReportError: Error, Equatable, CustomStringConvertible {
    case trainingLog(path: String, line: Int, reason: String)
    case write(path: String, reason: String)

    public var description: String {
        switch self {
        case let .trainingLog(path, line, reason): return line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)"
        case let .write(path, reason): return "\(path): \(reason)"
        }
    }
}

extension ReportError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
