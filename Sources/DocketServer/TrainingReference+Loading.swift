// What training recorded about a checkpoint, read from its docket.json
// ("train_label_counts": {"label": n, ...}, "eval_accuracy": x). Checkpoints without the file
// or the fields load fine: monitoring then reports that nothing was recorded.
import Foundation

extension TrainingReference {
    public static func load(directory: URL) throws -> TrainingReference {
        let url = directory.appendingPathComponent("docket.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return TrainingReference() }
        struct Fields: Decodable {
            var train_label_counts: [String: Int]?
            var eval_accuracy: Double?
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw MonitorError.invalidFile(url.path, "cannot read: \(error.localizedDescription)")
        }
        guard data.count <= 16 << 20 else { throw MonitorError.invalidFile(url.path, "larger than 16 MiB") }
        let f: Fields
        do { f = try JSONDecoder().decode(Fields.self, from: data) } catch {
            throw MonitorError.invalidFile(url.path, "train_label_counts / eval_accuracy: \(error)")
        }
        if let counts = f.train_label_counts, counts.values.contains(where: { $0 < 0 }) {
            throw MonitorError.invalidFile(url.path, "train_label_counts must be counts ≥ 0")
        }
        if let a = f.eval_accuracy, !(0...1).contains(a) {
            throw MonitorError.invalidFile(url.path, "eval_accuracy \(a) is not in [0, 1]")
        }
        return TrainingReference(labelCounts: f.train_label_counts, evalAccuracy: f.eval_accuracy)
    }
}

/// A problem with a monitoring input (docket.json, predictions, gold labels): file, line, what.
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
