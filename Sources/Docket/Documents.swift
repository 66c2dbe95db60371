// Input documents for classification, evaluation and fine-tuning, read as a stream of records
// from JSONL, CSV, plain text (one document per line), a directory of .txt files, or a
// one-folder-per-class directory. Every error names the file and the record's line.
import Foundation

/// One field of an input record copied verbatim to the outputs: key and raw JSON value text.
public struct RawField: Equatable, Sendable {
    public let key: String
    public let json: String
    public init(key: String, json: String) { self.key = key; self.json = json }
}

/// One input document.
public struct Document: Equatable, Sendable {
    public var text: String
    public var textPair: String?
    public var label: String?
    /// Multi-label gold: every label that applies (JSONL `"labels": [...]`, CSV `labels` column
    /// separated by `|`); nil when the record has no such field. Empty = none applies.
    public var labels: [String]?
    /// Other fields of the record (JSONL members, extra CSV columns, a folder file's "id"),
    /// in input order, as raw JSON, to be copied to outputs.
    public var fields: [RawField]
    /// File the record came from ("<stdin>" for standard input).
    public var source: String
    /// 1-based line where the record starts (1 for a whole-file document).
    public var line: Int

    public init(text: String, textPair: String? = nil, label: String? = nil, labels: [String]? = nil, fields: [RawField] = [],
                source: String, line: Int) {
        self.text = text; self.textPair = textPair; self.label = label; self.labels = labels
        self.fields = fields; self.source = source; self.line = line
    }
}

/// How an input is laid out.
public enum DocumentFormat: String, CaseIterable, Sendable {
    /// One JSON object per line with "text" (required), "label", "text_pair" (optional).
    case jsonl
    /// RFC 4180 CSV with a header row naming a "text" column (and optionally "label", "text_pair").
    case csv
    /// One document per non-blank line.
    case text
    /// A directory of .txt files, one document each, sorted by name; "id" = the file name.
    case directory
    /// A directory with one sub-folder per class holding .txt files; label = folder name.
    case classFolders = "class-folders"

    /// The format implied by a path: directories by their layout, files by extension
    /// (.jsonl/.ndjson/.json → JSONL, .csv → CSV, anything else → plain text).
    public static func infer(path: String) -> DocumentFormat {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            return FolderDocuments.hasClassFolders(path) ? .classFolders : .directory
        }
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "jsonl", "ndjson", "json": return .jsonl
        case "csv": return .csv
        default: return .text
        }
    }
}

/// Reading options shared by every format.
public struct DocumentReadOptions: Sendable {
    /// Every record must carry a label or a label list (evaluation, fine-tuning).
    public var requireLabel = false
    /// When set, labels outside this set are errors.
    public var labels: Set<String>?
    /// A JSONL "text" that is empty or blank is a document (`docket tokenize` tokenizes every
    /// text) instead of an error.
    public var allowBlankText = false

    public init(requireLabel: Bool = false, labels: Set<String>? = nil, allowBlankText: Bool = false) {
        self.requireLabel = requireLabel
        self.labels = labels
        self.allowBlankText = allowBlankText
    }
}

/// Blank lines skipped while reading (their line numbers, the first few kept for messages).
final class SkippedLines {
    private(set) var count = 0
    private(set) var first: [Int] = []
    func record(_ line: Int) {
        count += 1
        if first.count < 10 { first.append(line) }
    }
}

/// A pull-based stream of documents. `next()` returns nil at the end; errors are `DocumentError`.
/// An input without any document is an error (`noDocuments`) in every format. Labels are
/// trimmed of surrounding whitespace (so " Patent" and "Patent" are one class); a label that is
/// empty after trimming is an error.
public final class DocumentReader {
    public let source: String
    private let currentFormat: () -> DocumentFormat
    private let fraction: () -> Double?
    private let nextRecord: () throws -> Document?
    private let options: DocumentReadOptions
    private let skipped = SkippedLines()
    private var returned = 0
    /// The line reader of line-based formats (nil for folders), to ask whether input is waiting.
    private let lineReader: ByteLineReader?

    /// Opens `path` (nil or "-" = stdin). `format` defaults to `DocumentFormat.infer`; for
    /// stdin without a format, JSONL if the first line starts with '{', else plain text.
    public init(path: String?, format: DocumentFormat? = nil, options: DocumentReadOptions = .init()) throws {
        self.options = options
        let isStdin = path == nil || path == "-"
        switch format ?? (isStdin ? nil : .infer(path: path!)) {
        case nil, .jsonl?, .text?:
            let lines = try ByteLineReader(path: path)
            lineReader = lines
            let reader = LineDocuments(lines: lines, mode: format ?? (isStdin ? nil : .infer(path: path!)), skipped: skipped,
                                       allowBlankText: options.allowBlankText)
            nextRecord = reader.next
            currentFormat = { reader.mode ?? .jsonl }
            fraction = { reader.fractionRead }
            source = reader.path
        case .csv?:
            let lines = try ByteLineReader(path: path)
            lineReader = lines
            let reader = try CSVDocuments(lines: lines, skipped: skipped)
            nextRecord = reader.next
            currentFormat = { .csv }
            fraction = { reader.fractionRead }
            source = reader.path
        case let folders?:
            guard let path, !isStdin else { throw DocumentError.io(file: "<stdin>", message: "a directory input needs a path") }
            lineReader = nil
            let reader = try FolderDocuments(path: path, classFolders: folders == .classFolders)
            nextRecord = reader.next
            currentFormat = { folders }
            fraction = { reader.fractionRead }
            source = path
        }
    }

    /// Blank lines skipped so far, e.g. "train.jsonl: skipped 2 blank lines (lines 3, 9)"; nil when none.
    public var skippedNotice: String? {
        guard skipped.count > 0 else { return nil }
        let lines = skipped.first.map(String.init).joined(separator: ", ") + (skipped.count > skipped.first.count ? ", …" : "")
        return "\(source): skipped \(skipped.count) blank line\(skipped.count == 1 ? "" : "s") (line\(skipped.count == 1 ? "" : "s") \(lines))"
    }

    /// Fraction of the input consumed so far (nil when unknown, e.g. stdin), for progress/ETA.
    public var fractionRead: Double? { fraction() }

    /// The input's format (for sniffed stdin: known once the first record has been read).
    public var format: DocumentFormat { currentFormat() }

    /// The next document, validated against the options; nil at the end.
    public func next() throws -> Document? {
        guard var doc = try nextRecord() else {
            if returned == 0 { throw DocumentError.noDocuments(file: source) }
            return nil
        }
        returned += 1
        if doc.label != nil || doc.labels != nil {
            doc.label = try doc.label.map { try Self.trimmedLabel($0, doc) }
            doc.labels = try doc.labels.map { try $0.map { try Self.trimmedLabel($0, doc) } }
            for label in [doc.label].compactMap({ $0 }) + (doc.labels ?? []) {
                if let known = options.labels, !known.contains(label) {
                    throw DocumentError.unknownLabel(file: doc.source, line: doc.line, label: label, known: known.sorted())
                }
            }
        } else if options.requireLabel {
            throw DocumentError.missingLabel(file: doc.source, line: doc.line)
        }
        return doc
    }

    /// A label without surrounding whitespace; empty is an error naming the line.
    private static func trimmedLabel(_ raw: String, _ doc: Document) throws -> String {
        let label = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !label.isEmpty else {
            throw DocumentError.wrongFieldType(file: doc.source, line: doc.line, field: "label", expected: "a non-empty label")
        }
        return label
    }

    /// Up to `max` further documents (empty at the end).
    public func next(max: Int) throws -> [Document] {
        var out: [Document] = []
        out.reserveCapacity(Swift.min(max, 4096))
        while out.count < max, let d = try next() { out.append(d) }
        return out
    }

    /// Up to `max` further documents, but once one has arrived, no longer than `wait` seconds
    /// for more: on a pipe (`tail -f docs.jsonl | docket classify`) what has arrived is returned
    /// instead of blocking until `max` documents are there. Files are never waited for.
    public func next(max: Int, wait: TimeInterval) throws -> [Document] {
        var out: [Document] = []
        let deadline = Date().addingTimeInterval(wait)
        while out.count < max {
            if !out.isEmpty, let lineReader, !lineReader.inputReady(before: deadline) { break }
            guard let d = try next() else { break }
            out.append(d)
        }
        return out
    }

    /// Reads everything (use `next(max:)` for large inputs).
    public func readAll() throws -> [Document] {
        var out: [Document] = []
        while let d = try next() { out.append(d) }
        return out
    }
}
