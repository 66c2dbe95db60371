// Typed errors of the Tokenizers module. Every case names the file (or input) and the problem.
import Foundation

public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// The file or directory could not be read.
    case unreadable(path: String, reason: String)
    /// A vocab.txt / tokenizer.json / tokenizer_config.json / .model is malformed.
    case malformed(path: String, reason: String)
    /// The file uses a tokenizer component Docket does not implement.
    case unsupported(path: String, reason: String)
    /// A directory holds none of vocab.txt, tokenizer.json or *.model.
    case noTokenizerFound(directory: String)
    /// Encoding arguments that cannot be satisfied (e.g. max length below the special tokens).
    case invalidArgument(String)
    /// Bytes that are not valid UTF-8 (input text or a vocabulary line).
    case invalidUTF8(path: String, detail: String)
    /// A SentencePiece operation failed inside libsentencepiece.
    case sentencePiece(path: String, reason: String)
    /// Writing the tokenizer files failed.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read \(path): \(reason)"
        case let .malformed(path, reason): return "malformed tokenizer file \(path): \(reason)"
        case let .unsupported(path, reason): return "unsupported tokenizer in \(path): \(reason)"
        case let .noTokenizerFound(dir):
            return "no tokenizer in \(dir): expected vocab.txt, tokenizer.json or a *.model file"
        case let .invalidArgument(msg): return "invalid tokenizer argument: \(msg)"
        case let .invalidUTF8(path, detail): return "invalid UTF-8 in \(path): \(detail)"
        case let .sentencePiece(path, reason): return "sentencepiece error for \(path): \(reason)"
        case let .writeFailed(path, reason): return "cannot write \(path): \(reason)"
        }
    }
}

/// Upper bounds on sizes read from tokenizer files (docs/limits.md).
public enum TokenizerLimits {
    /// Longest sequence length (truncation max_length, fixed padding, model_max_length).
    public static let maxLength = 1 << 20
    /// Largest token type id (BERT's type_vocab_size is 2).
    public static let maxTypeId = 1023
    /// Most vocabulary entries (tokenizer.json ids, vocab.txt lines, SentencePiece pieces).
    public static let maxVocabulary = 1_000_000
}

extension TokenizerError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
