// RFC 4180 CSV records: comma-separated, fields optionally in double quotes, "" inside quotes
// is a quote, quoted fields may span lines (the line break is kept). CRLF or LF line ends.
// The header row must name a "text" column; "label" and "text_pair" are optional, and so is
// "labels" (multi-label, not with "label"): label names separated by `|` (spaces around them
// ignored; an empty field = no label applies); other
// columns are copied to outputs as JSON strings. Rows with the wrong number of fields are
// errors naming the line where the row starts.
import DocketBase
import Foundation

final class CSVDocuments {
    private let lines: ByteLineReader
    private var columns: [String] = []
    private var textIndex = 0
    private var labelIndex: Int?
    private var pairIndex: Int?
    private var labelsIndex: Int?
    /// Separator of the multi-label `labels` column.
    static let labelSeparator: Character = "|"
    var path: String { lines.path }
    var fractionRead: Double? { lines.fractionRead }

    private let skipped: SkippedLines

    init(lines: ByteLineReader, skipped: SkippedLines = SkippedLines()) throws {
        self.lines = lines
        self.skipped = skipped
        guard let (header, line) = try nextRow() else { throw DocumentError.noDocuments(file: lines.path) }
        columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        for c in columns where !seen.insert(c).inserted {
            throw DocumentError.malformedCSV(file: path, line: line, detail: "column \"\(c)\" appears twice in the header")
        }
        guard let t = columns.firstIndex(of: "text") else {
            throw DocumentError.malformedCSV(file: path, line: line, detail: "the header has no \"text\" column (columns: \(columns.joined(separator: ", ")))")
        }
        textIndex = t
        labelIndex = columns.firstIndex(of: "label")
        pairIndex = columns.firstIndex(of: "text_pair")
        labelsIndex = columns.firstIndex(of: "labels")
        if labelIndex != nil && labelsIndex != nil {
            throw DocumentError.malformedCSV(file: path, line: line, detail: "give a \"label\" column (single-label) or a \"labels\" column (multi-label), not both")
        }
    }

    func next() throws -> Document? {
        while let (fields, line) = try nextRow() {
            // A blank line is skipped (and counted); a quoted empty field ("") is an empty text.
            if fields.count == 1, isBlank(fields[0]), !lastRowQuoted { skipped.record(line); continue }
            guard fields.count == columns.count else {
                throw DocumentError.malformedCSV(file: path, line: line, detail: "\(fields.count) fields, the header has \(columns.count)")
            }
            let text = fields[textIndex]
            guard !isBlank(text) else { throw DocumentError.emptyText(file: path, line: line) }
            var doc = Document(text: text, source: path, line: line)
            if let l = labelIndex, !fields[l].isEmpty { doc.label = fields[l] }
            if let p = pairIndex, !fields[p].isEmpty { doc.textPair = fields[p] }
            if let l = labelsIndex {
                let names = fields[l].split(separator: Self.labelSeparator).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard Set(names).count == names.count else {
                    throw DocumentError.malformedCSV(file: path, line: line, detail: "\"labels\" names a label twice")
                }
                doc.labels = names
            }
            for (i, c) in columns.enumerated() where i != textIndex && i != labelIndex && i != pairIndex && i != labelsIndex {
                doc.fields.append(RawField(key: c, json: JSONParser.quote(fields[i])))
            }
            return doc
        }
        return nil
    }

    /// The next row's fields and the line it starts on; nil at the end of input.
    private func nextRow() throws -> ([String], Int)? {
        guard var raw = try lines.nextLine() else { return nil }
        let start = lines.lineNumber
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        lastRowQuoted = false
        var afterQuote = false  // just closed a quoted field: only ',' or end may follow
        while true {
            var i = raw.startIndex
            while i < raw.endIndex {
                let b = raw[i]
                if inQuotes {
                    if b == UInt8(ascii: "\"") {
                        if i + 1 < raw.endIndex, raw[i + 1] == UInt8(ascii: "\"") { field.append(b); i += 1 } else { inQuotes = false; afterQuote = true }
                    } else { field.append(b) }
                } else if b == UInt8(ascii: ",") {
                    fields.append(try decode(field, start)); field = []; afterQuote = false
                } else if afterQuote {
                    if b == UInt8(ascii: "\r") && i + 1 == raw.endIndex { break }
                    throw DocumentError.malformedCSV(file: path, line: lines.lineNumber, detail: "text after a closing quote")
                } else if b == UInt8(ascii: "\"") && field.isEmpty {
                    inQuotes = true; lastRowQuoted = true
                } else if b == UInt8(ascii: "\r") && i + 1 == raw.endIndex {
                    break  // CRLF line end
                } else if b == UInt8(ascii: "\"") {
                    throw DocumentError.malformedCSV(file: path, line: lines.lineNumber, detail: "quote inside an unquoted field")
                } else { field.append(b) }
                i += 1
            }
            if !inQuotes { break }
            guard let more = try lines.nextLine() else {
                throw DocumentError.malformedCSV(file: path, line: start, detail: "quoted field never closed")
            }
            field.append(UInt8(ascii: "\n"))  // the line break inside quotes belongs to the field
            raw = more
        }
        fields.append(try decode(field, start))
        return (fields, start)
    }

    /// Whether the row just read had a quoted field (so a lone empty field is not a blank line).
    private var lastRowQuoted = false

    private func decode(_ bytes: [UInt8], _ line: Int) throws -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else { throw DocumentError.invalidUTF8(file: path, line: line) }
        return s
    }
}
