// Labelled examples for fine-tuning and evaluation, loaded from any document format with the
// label required (and checked against a label set when one is given).

/// A text with its gold label and where it came from (1-based line; 1 for whole-file documents).
public struct LabeledExample: Equatable, Sendable {
    public var text: String
    public var textPair: String?
    public var label: String
    public var line: Int

    public init(text: String, textPair: String? = nil, label: String, line: Int) {
        self.text = text; self.textPair = textPair; self.label = label; self.line = line
    }

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
            // requireLabel guarantees a label; keep the check total anyway.
            guard let label = d.label else { throw DocumentError.missingLabel(file: d.source, line: d.line) }
            out.append(LabeledExample(text: d.text, textPair: d.textPair, label: label, line: d.line))
        }
        guard !out.isEmpty else { throw DocumentError.noDocuments(file: reader.source) }
        return (out, reader.skippedNotice)
    }

    /// The sorted distinct labels of `examples` (a default label order: label id = index).
    public static func labelSet(_ examples: [LabeledExample]) -> [String] {
        Array(Set(examples.map(\.label))).sorted()
    }
}
