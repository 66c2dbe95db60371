// JSONL and plain-text records (both one record per line). JSONL: "text" (string, required,
// non-blank), "label" (string or integer, optional), "labels" (multi-label: a list of distinct
// strings or integers, optional, not with "label"), "text_pair" (string or null, optional);
// every other member is kept as raw JSON to copy to outputs. Plain text: each non-blank line
// is a document. Blank lines are skipped in both (and counted: `DocumentReader.skippedNotice`).
import DocketBase

final class LineDocuments {
    private let lines: ByteLineReader
    /// nil until sniffed (stdin without an explicit format): JSONL if the first non-blank line
    /// starts with '{', otherwise plain text.
    private(set) var mode: DocumentFormat?
    var path: String { lines.path }
    var fractionRead: Double? { lines.fractionRead }

    private let skipped: SkippedLines
    /// DocumentReadOptions.allowBlankText: a blank JSONL "text" is a document.
    private let allowBlankText: Bool

    init(lines: ByteLineReader, mode: DocumentFormat?, skipped: SkippedLines = SkippedLines(), allowBlankText: Bool = false) {
        self.lines = lines
        self.mode = mode
        self.skipped = skipped
        self.allowBlankText = allowBlankText
    }

    func next() throws -> Document? {
        while let raw = try lines.nextLine() {
            let n = lines.lineNumber
            guard let text = String(utf8Bytes: raw) else { throw DocumentError.invalidUTF8(file: path, line: n) }
            if isBlank(text) { skipped.record(n); continue }
            if mode == nil { mode = text.drop { $0.isWhitespace }.first == "{" ? .jsonl : .text }
            if mode == .jsonl { return try Self.parseJSONL(raw, file: path, line: n, allowBlankText: allowBlankText) }
            return Document(text: text.hasSuffix("\r") ? String(text.dropLast()) : text, source: path, line: n)
        }
        return nil
    }

    /// Parses one JSONL record.
    static func parseJSONL(_ raw: ArraySlice<UInt8>, file: String, line: Int, allowBlankText: Bool = false) throws -> Document {
        let members: [JSONMember]
        do { members = try raw.withUnsafeBytes { try JSONParser.members(of: $0) } } catch let e as JSONParseError {
            throw DocumentError.malformedJSON(file: file, line: line, detail: "\(e.message) at column \(e.offset + 1)")
        }
        var doc = Document(text: "", source: file, line: line)
        var hasText = false
        var seen = Set<String>()
        for m in members {
            guard seen.insert(m.key).inserted else {
                throw DocumentError.malformedJSON(file: file, line: line, detail: "key \"\(m.key)\" appears twice")
            }
            switch m.key {
            case "text":
                guard case let .string(s) = m.value else { throw DocumentError.wrongFieldType(file: file, line: line, field: "text", expected: "a string") }
                doc.text = s
                hasText = true
            case "label":
                switch m.value {
                case let .string(s): doc.label = s
                case let .number(s) where s.allSatisfy({ $0.isNumber || $0 == "-" }): doc.label = s
                case .null: doc.label = nil
                default: throw DocumentError.wrongFieldType(file: file, line: line, field: "label", expected: "a string or an integer")
                }
            case "labels":
                doc.labels = try labelList(m.value, file: file, line: line)
            case "text_pair":
                switch m.value {
                case let .string(s): doc.textPair = s
                case .null: doc.textPair = nil
                default: throw DocumentError.wrongFieldType(file: file, line: line, field: "text_pair", expected: "a string")
                }
            default:
                let json = String(decoding: raw[(raw.startIndex + m.raw.lowerBound)..<(raw.startIndex + m.raw.upperBound)], as: UTF8.self)
                doc.fields.append(RawField(key: m.key, json: json))
            }
        }
        guard hasText else { throw DocumentError.missingText(file: file, line: line) }
        if doc.label != nil && doc.labels != nil {
            throw DocumentError.malformedJSON(file: file, line: line, detail: "give \"label\" (single-label) or \"labels\" (multi-label), not both")
        }
        guard allowBlankText || !isBlank(doc.text) else { throw DocumentError.emptyText(file: file, line: line) }
        return doc
    }
}

/// A multi-label `"labels"` value: null → nil, else distinct names (strings or integers).
private func labelList(_ value: JSONValue, file: String, line: Int) throws -> [String]? {
    let expected = "a list of distinct label names (strings or integers)"
    switch value {
    case .null: return nil
    case let .array(items):
        let names: [String] = try items.map { item in
            switch item {
            case let .string(s) where !s.isEmpty: return s
            case let .number(s) where s.allSatisfy({ $0.isNumber || $0 == "-" }): return s
            default: throw DocumentError.wrongFieldType(file: file, line: line, field: "labels", expected: expected)
            }
        }
        guard Set(names).count == names.count else {
            throw DocumentError.wrongFieldType(file: file, line: line, field: "labels", expected: expected)
        }
        return names
    default: throw DocumentError.wrongFieldType(file: file, line: line, field: "labels", expected: expected)
    }
}

/// True when `s` holds only whitespace (or nothing).
func isBlank(_ s: String) -> Bool { s.allSatisfy(\.isWhitespace) }
