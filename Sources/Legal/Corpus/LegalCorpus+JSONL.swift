// Byte-stable JSONL for the corpus: keys in the fixed order text, label, id; strings escaped
// by hand (", \, control characters) with non-ASCII written as UTF-8, one document per line.
// Foundation's JSONEncoder is avoided so the committed files never depend on its key order
// or slash escaping.
import DocketBase
import Foundation

extension LegalDocument {
    /// One JSON object, no trailing newline.
    public var jsonLine: String {
        "{\"text\":\(jsonString(text)),\"label\":\(jsonString(label)),\"id\":\(jsonString(id))}"
    }
}

/// A JSON string literal for `s` (the one escaping rule: `JSONParser.quote`).
public func jsonString(_ s: String) -> String { JSONParser.quote(s) }

extension LegalCorpus {
    /// The JSONL text of one split (every line terminated by "\n").
    public static func jsonl(_ documents: [LegalDocument]) -> String {
        documents.map { $0.jsonLine + "\n" }.joined()
    }

    /// Writes train.jsonl, dev.jsonl and test.jsonl into `directory` (created if needed), atomically.
    public func write(to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CorpusError.write(path: directory.path, reason: "cannot create the directory (\(FileProblem.writing(directory.path, error: error)))")
        }
        for (name, docs) in splits {
            let url = directory.appendingPathComponent("\(name).jsonl")
            do { try AtomicFile.write(Self.jsonl(docs), to: url) } catch {
                throw CorpusError.write(path: url.path, reason: "cannot write the file (\(FileProblem.writing(url.path, error: error)))")
            }
        }
    }

    /// Per-split class counts in LegalClass order.
    public func classCounts() -> [(split: String, counts: [String: Int])] {
        splits.map { name, docs in (name, Dictionary(docs.map { ($0.label, 1) }, uniquingKeysWith: +)) }
    }
}

public enum CorpusError: Error, Equatable, CustomStringConvertible {
    case write(path: String, reason: String)
    /// A corpus template file (Corpora/templates/FILE, embedded at build time) that does not decode.
    case templates(file: String, reason: String)

    public var description: String {
        switch self {
        case let .write(path, reason): return "\(path): \(reason)"
        case let .templates(file, reason): return "corpus templates \(file): \(reason)"
        }
    }
}

extension CorpusError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
