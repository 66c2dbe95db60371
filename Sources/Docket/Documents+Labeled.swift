// Labelled examples for fine-tuning and evaluation, loaded from any document format with the
// label required (and checked against a label set when one is given).

/// A text with its gold label and where it came from (1-based line; 1 for whole-file documents).
public struct LabeledExample: Equatable, Sendable {
    public var text: String
    public var textPair: String?
    /// The single label ("" for a multi-label example).
    public var label: String
    /// Multi-label gold (every label that applies); nil for a single-label example.
    public var labels: [String]?
    public var line: Int

    public init(text: String, textPair: String? = nil, label: String, line: Int) {
        self.text = text; self.textPair = textPair; self.label = label; self.line = line
    }

    /// A multi-label example.
    public init(text: String, textPair: String? = nil, labels: [String], line: Int) {
        self.text = text; self.textPair = textPair; self.label = ""; self.labels = labels; self.line = line
    }

    public var isMultiLabel: Bool { labels != nil }

    /// Loads every record of `path` (JSONL, CSV, class folders, ...; see `DocumentFormat`)
    /// requiring a label on each; `labels` restricts the allowed labels.
    public static func load(from path: String, format: DocumentFormat? = nil, labels: Set<String>? = nil) throws -> [LabeledExample] {
        try loadReportingSkips(from: path, format: format, labels: labels).examples
    }

    /// `load`, plus the reader's notice of skipped blank lines (nil when none were skipped).
    public static func loadReportingSkips(from path: String, format: DocumentFormat? = nil, labels: Set<String>? = nil) throws
        -> (examples: [LabeledExample], skipped: String?) {
        let reader = try DocumentReader(path: path, format: format, options: .init(requireLabel: true, labels: labels))
        var out: [LabeledExample] = []
        while let d = try reader.next() {
            // requireLabel guarantees a label or a list; keep the check total anyway.
            if let labels = d.labels {
                out.append(LabeledExample(text: d.text, textPair: d.textPair, labels: labels, line: d.line))
            } else if let label = d.label {
                out.append(LabeledExample(text: d.text, textPair: d.textPair, label: label, line: d.line))
            } else { throw DocumentError.missingLabel(file: d.source, line: d.line) }
            if out.count > 1, out[out.count - 1].isMultiLabel != out[0].isMultiLabel {
                throw DocumentError.wrongFieldType(file: d.source, line: d.line, field: out[0].isMultiLabel ? "labels" : "label",
                    expected: "present on every record: line \(out[0].line) uses \(out[0].isMultiLabel ? "\"labels\" (multi-label)" : "\"label\" (single-label)")")
            }
        }
        guard !out.isEmpty else { throw DocumentError.noDocuments(file: reader.source) }
        return (out, reader.skippedNotice)
    }

    /// The sorted distinct labels of `examples` (a default label order: label id = index).
    public static func labelSet(_ examples: [LabeledExample]) -> [String] {
        Array(Set(examples.flatMap { $0.labels ?? [$0.label] })).sorted()
    }
}
