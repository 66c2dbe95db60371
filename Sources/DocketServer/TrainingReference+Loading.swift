// What training recorded about a checkpoint, from its docket.json (CheckpointMetadata:
// "train_label_counts": [{"label", "count"}, ...], "eval_accuracy"). Checkpoints without the
// file or the fields load fine: monitoring then reports that nothing was recorded.
import Docket
import Foundation

extension TrainingReference {
    public init(metadata: CheckpointMetadata?) {
        self.init(labelCounts: metadata?.trainLabelCounts.map { Dictionary($0.map { ($0.label, $0.count) }, uniquingKeysWith: +) },
                  evalAccuracy: metadata?.evalAccuracy)
    }

    /// Reads `directory/docket.json` (errors name the file and field).
    public static func load(directory: URL) throws -> TrainingReference {
        TrainingReference(metadata: try CheckpointMetadata.load(directory: directory))
    }
}

/// A problem with a monitoring input (predictions, gold labels): file, line, what.
public enum MonitorError: Error, CustomStringConvertible, Equatable {
    case invalidFile(String, String)
    case invalidLine(String, Int, String)

    public var description: String {
        switch self {
        case let .invalidFile(file, message): return "\(file): \(message)"
        case let .invalidLine(file, line, message): return "\(file):\(line): \(message)"
        }
    }
}
