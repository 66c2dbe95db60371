// Typed errors of the Docket module. Document errors name the file (or "<stdin>") and the
// 1-based line where the bad record starts, so a user can jump straight to it.
import Foundation

/// A problem with an input document file.
public enum DocumentError: Error, Equatable, CustomStringConvertible, Sendable {
    case io(file: String, message: String)
    case invalidUTF8(file: String, line: Int)
    case lineTooLong(file: String, line: Int, limit: Int)
    case malformedJSON(file: String, line: Int, detail: String)
    case missingText(file: String, line: Int)
    case emptyText(file: String, line: Int)
    case wrongFieldType(file: String, line: Int, field: String, expected: String)
    case missingLabel(file: String, line: Int)
    case unknownLabel(file: String, line: Int, label: String, known: [String])
    case malformedCSV(file: String, line: Int, detail: String)
    case noDocuments(file: String)

    public var file: String {
        switch self {
        case let .io(f, _), let .invalidUTF8(f, _), let .lineTooLong(f, _, _), let .malformedJSON(f, _, _),
             let .missingText(f, _), let .emptyText(f, _), let .wrongFieldType(f, _, _, _), let .missingLabel(f, _),
             let .unknownLabel(f, _, _, _), let .malformedCSV(f, _, _), let .noDocuments(f):
            return f
        }
    }

    public var description: String {
        switch self {
        case let .io(file, message): return "\(file): \(message)"
        case let .invalidUTF8(file, line): return "\(file):\(line): text is not valid UTF-8"
        case let .lineTooLong(file, line, limit): return "\(file):\(line): line longer than \(limit) bytes"
        case let .malformedJSON(file, line, detail): return "\(file):\(line): malformed JSON: \(detail)"
        case let .missingText(file, line): return "\(file):\(line): no \"text\" field"
        case let .emptyText(file, line): return "\(file):\(line): empty text"
        case let .wrongFieldType(file, line, field, expected): return "\(file):\(line): \"\(field)\" must be \(expected)"
        case let .missingLabel(file, line): return "\(file):\(line): no label (a label is required here)"
        case let .unknownLabel(file, line, label, known):
            return "\(file):\(line): unknown label '\(label)' (known: \(known.joined(separator: ", ")))"
        case let .malformedCSV(file, line, detail): return "\(file):\(line): malformed CSV: \(detail)"
        case let .noDocuments(file): return "\(file): no documents found"
        }
    }
}

/// A problem loading or running a `TextClassifier` (model, tokenizer and weight errors keep
/// their own typed errors: `EncoderError`, `TokenizerError`, `SafeTensorsError`).
public enum ClassifierError: Error, Equatable, CustomStringConvertible, Sendable {
    case invalidArgument(String)
    case tokenizerMismatch(directory: String, detail: String)
    /// The requested inference precision cannot run on this machine (bf16 without AVX512_BF16,
    /// int8 without AVX512_VNNI).
    case precisionUnavailable(precision: String, reason: String)
    /// The checkpoint has no classification head (e.g. a bare BertModel): its predictions would
    /// come from a random head (`TextClassifier.Options.allowMissingHead` permits it).
    case missingHead(directory: String, detail: String)

    public var description: String {
        switch self {
        case let .invalidArgument(message): return "invalid argument: \(message)"
        case let .tokenizerMismatch(directory, detail): return "\(directory): tokenizer does not fit the model: \(detail)"
        case let .precisionUnavailable(precision, reason):
            return "precision \(precision) is not available: \(reason) (fp32 runs everywhere)"
        case let .missingHead(directory, detail):
            return "\(directory): the checkpoint has no classification head (\(detail)): its predictions would be random; "
                + "fine-tune it first (docket finetune), or pass --allow-missing-head to run it anyway"
        }
    }
}

extension DocumentError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}

extension ClassifierError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
