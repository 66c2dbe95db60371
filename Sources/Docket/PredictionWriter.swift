// The one writer of prediction JSONL: `docket classify` (Prediction.jsonLine), `docket evaluate
// --predictions` and fine-tuning's dev_predictions.jsonl build their lines as PredictionRecords
// and write them through PredictionWriter. A record is one JSON object whose members keep the
// order they were added; numbers are written in Swift's shortest round-trip form ("\(x)").
// Line formats:
//   classify                  {<copied fields>, "gold_label", "labels", "label", "score", "probabilities", "logits", "top_k", "windows"}
//   evaluate, single-label    {"line", "label", "predicted", "confidence", "probabilities": {label: p}}
//   evaluate, multi-label     {"line", "labels", "predicted", "probabilities": {label: p}}
//   dev predictions           {"line", "label" | "labels", "predicted", "logits": [...]}
import DocketBase
import Foundation

/// One JSON object of a prediction JSONL file, members in the order added.
public struct PredictionRecord: Sendable {
    private var members: [String] = []
    public init() {}

    /// `"key":json` with `json` already valid JSON.
    public mutating func add(_ key: String, json: String) { members.append("\(JSONParser.quote(key)):\(json)") }
    public mutating func add(_ key: String, string: String) { add(key, json: JSONParser.quote(string)) }
    public mutating func add(_ key: String, strings: [String]) {
        add(key, json: "[" + strings.map(JSONParser.quote).joined(separator: ",") + "]")
    }
    public mutating func add<N: LosslessStringConvertible>(_ key: String, number: N) { add(key, json: "\(number)") }
    public mutating func add<N: LosslessStringConvertible>(_ key: String, numbers: [N]) {
        add(key, json: "[" + numbers.map { "\($0)" }.joined(separator: ",") + "]")
    }
    /// {"label": p, ...} in the given (label-id) order.
    public mutating func add<N: LosslessStringConvertible>(_ key: String, labels: [String], scores: [N]) {
        add(key, json: "{" + zip(labels, scores).map { "\(JSONParser.quote($0)):\($1)" }.joined(separator: ",") + "}")
    }

    /// The object, no trailing newline.
    public var json: String { "{" + members.joined(separator: ",") + "}" }
}

extension PredictionRecord {
    /// `evaluate --predictions`, single-label: file line, gold and predicted label, confidence, probabilities.
    public static func evaluated(line: Int, labels: [String], document d: EvaluatedDocument) -> PredictionRecord {
        var r = PredictionRecord()
        r.add("line", number: line)
        r.add("label", string: labels[d.gold])
        r.add("predicted", string: labels[d.predicted])
        r.add("confidence", number: d.confidence)
        r.add("probabilities", labels: labels, scores: d.probabilities)
        return r
    }

    /// `evaluate --predictions`, multi-label: file line, gold and predicted label sets, probabilities.
    public static func evaluated(line: Int, labels: [String], gold: [Int], predicted: [Int], probabilities: [Float]) -> PredictionRecord {
        var r = PredictionRecord()
        r.add("line", number: line)
        r.add("labels", strings: gold.map { labels[$0] })
        r.add("predicted", strings: predicted.map { labels[$0] })
        r.add("probabilities", labels: labels, scores: probabilities)
        return r
    }

    /// Fine-tuning's dev predictions: file line, gold label (or label set), predicted label (or set), logits.
    public static func dev(line: Int, gold: String, predicted: String, logits: [Float]) -> PredictionRecord {
        var r = PredictionRecord()
        r.add("line", number: line)
        r.add("label", string: gold)
        r.add("predicted", string: predicted)
        r.add("logits", numbers: logits)
        return r
    }

    public static func dev(line: Int, gold: [String], predicted: [String], logits: [Float]) -> PredictionRecord {
        var r = PredictionRecord()
        r.add("line", number: line)
        r.add("labels", strings: gold)
        r.add("predicted", strings: predicted)
        r.add("logits", numbers: logits)
        return r
    }
}

/// Prediction JSONL to standard output (as each part is written) or to a file written
/// atomically (a temporary file renamed by `commit`, removed if never committed).
public final class PredictionWriter {
    private let file: AtomicFileWriter?

    /// Standard output when `path` is nil.
    public init(path: String?) throws {
        file = try path.map { try AtomicFileWriter(url: URL(fileURLWithPath: $0)) }
    }

    /// Appends one line per record.
    public func write(_ records: [PredictionRecord]) throws {
        let text = records.reduce(into: "") { $0 += $1.json; $0 += "\n" }
        if let file { try file.write(text) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    public func commit() throws { try file?.commit() }

    /// A whole prediction file, written atomically.
    public static func write(_ records: [PredictionRecord], to url: URL) throws {
        try AtomicFile.write(records.reduce(into: "") { $0 += $1.json; $0 += "\n" }, to: url)
    }
}
