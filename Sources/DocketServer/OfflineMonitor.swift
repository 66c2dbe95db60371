// `docket monitor`: the server's monitoring report computed offline from a predictions file
// (`docket classify` output: one JSON object per line with "label" and "score", optionally
// "id" and "gold_label") and optional gold labels (JSONL with "id" and "label", joined on id).
// Gold labels come from --labels when given, else from the predictions' own "gold_label".
import Docket
import DocketBase
import Encoder
import Foundation

public enum OfflineMonitor {
    public static func report(model: URL, predictions: String, gold: String?, settings: ModelMonitor.Settings) throws -> MonitorReport {
        let labels = try ModelConfig.load(from: model.appendingPathComponent("config.json")).labels
        let reference = try TrainingReference.load(directory: model)
        var preds: [(label: String, confidence: Float, id: String?, gold: String?)] = []
        try forEachObject(predictions) { members, file, line in
            guard case let .string(label)? = member(members, "label") else {
                throw MonitorError.invalidLine(file, line, "\"label\" must be a string (a docket classify output line)")
            }
            guard labels.contains(label) else {
                throw MonitorError.invalidLine(file, line, "label \"\(label)\" is not a label of the model (\(labels.joined(separator: ", ")))")
            }
            guard case let .number(s)? = member(members, "score"), let score = Float(s), (0...1).contains(score) else {
                throw MonitorError.invalidLine(file, line, "\"score\" must be a number in [0, 1]")
            }
            var goldLabel: String?
            if case let .string(g)? = member(members, "gold_label") { goldLabel = g }
            preds.append((label, score, try id(members, file, line), goldLabel))
        }
        guard !preds.isEmpty else { throw MonitorError.invalidFile(predictions, "no predictions") }
        var settings = settings
        settings.window = preds.count  // offline: the whole file is the window
        let monitor = ModelMonitor(labels: labels, reference: reference, settings: settings)
        monitor.record(preds.map { ($0.label, $0.confidence, $0.id) })
        var pairs: [(predicted: String, gold: String)] = []
        if let gold {
            var byId: [String: String] = [:]
            for p in preds { if let id = p.id { byId[id] = p.label } }
            try forEachObject(gold) { members, file, line in
                guard let id = try id(members, file, line) else { throw MonitorError.invalidLine(file, line, "no \"id\"") }
                guard case let .string(g)? = member(members, "label") else {
                    throw MonitorError.invalidLine(file, line, "\"label\" must be a string")
                }
                guard labels.contains(g) else { throw MonitorError.invalidLine(file, line, "label \"\(g)\" is not a label of the model") }
                if let p = byId[id] { pairs.append((p, g)) }
            }
        } else {
            pairs = preds.compactMap { p in p.gold.map { (p.label, $0) } }
        }
        monitor.feedback(pairs)
        return monitor.report()
    }

    private static func member(_ m: [JSONMember], _ key: String) -> JSONValue? { m.first { $0.key == key }?.value }

    private static func id(_ m: [JSONMember], _ file: String, _ line: Int) throws -> String? {
        switch member(m, "id") {
        case nil, .null?: return nil
        case let .string(s)?: return s
        case let .number(s)?: return s
        default: throw MonitorError.invalidLine(file, line, "\"id\" must be a string or a number")
        }
    }

    /// Calls `body` with each non-blank line's members (errors name the file and line).
    private static func forEachObject(_ path: String, _ body: ([JSONMember], String, Int) throws -> Void) throws {
        let reader: ByteLineReader
        do { reader = try ByteLineReader(path: path) } catch { throw MonitorError.invalidFile(path, "\(error)") }
        while let raw = try reader.nextLine() {
            if raw.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let members: [JSONMember]
            do { members = try raw.withUnsafeBytes { try JSONParser.members(of: $0) } } catch let e as JSONParseError {
                throw MonitorError.invalidLine(path, reader.lineNumber, "malformed JSON: \(e.message) at column \(e.offset + 1)")
            }
            try body(members, path, reader.lineNumber)
        }
    }
}
