// The WordPiece vocabulary and BERT normalizer settings (HF `models::wordpiece::WordPiece`
// + `normalizers::BertNormalizer`). Immutable after construction, so it is shared freely.

/// BertNormalizer flags (HF semantics; `stripAccents` already resolved from `lowercase` when unset).
public struct BertNormalization: Sendable, Equatable {
    public var cleanText: Bool
    public var handleChineseChars: Bool
    public var stripAccents: Bool
    public var lowercase: Bool
    public init(cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool? = nil,
                lowercase: Bool = true) {
        self.cleanText = cleanText; self.handleChineseChars = handleChineseChars
        self.stripAccents = stripAccents ?? lowercase; self.lowercase = lowercase
    }
}

/// What the ASCII fast path does with one input byte.
enum ASCIIAction: UInt8 { case word = 0, separator = 1, punctuation = 2, drop = 3 }

struct WordPieceModel: Sendable {
    /// id → token string (ids are dense 0..<count).
    let vocab: [String]
    /// Tokens that start a word, keyed by their UTF-8 bytes.
    let starts: ByteVocab
    /// Continuation tokens, keyed by the bytes after the `##` prefix.
    let continuations: ByteVocab
    let unkId: Int32
    let continuingPrefix: String
    let maxInputCharsPerWord: Int
    let normalization: BertNormalization
    /// Per ASCII byte: action (ASCIIAction raw value), and the byte it becomes inside a word
    /// (lowercased when asked); owned by `asciiTables`.
    let asciiTables: ASCIITables

    init(vocab: [String], unkToken: String, continuingPrefix: String = "##",
         maxInputCharsPerWord: Int = 100, normalization: BertNormalization, path: String) throws {
        guard !vocab.isEmpty else { throw TokenizerError.malformed(path: path, reason: "the vocabulary is empty") }
        let prefix = Array(continuingPrefix.utf8)
        var startKeys: [[UInt8]] = [], startIds: [Int32] = [], contKeys: [[UInt8]] = [], contIds: [Int32] = []
        for (i, token) in vocab.enumerated() {
            let bytes = Array(token.utf8)
            if bytes.isEmpty { continue }
            startKeys.append(bytes); startIds.append(Int32(i))
            if !prefix.isEmpty, bytes.count > prefix.count, bytes.starts(with: prefix) {
                contKeys.append(Array(bytes[prefix.count...])); contIds.append(Int32(i))
            }
        }
        let starts = ByteVocab(keys: startKeys, ids: startIds)
        let continuations = ByteVocab(keys: contKeys, ids: contIds)
        guard let unk = starts.lookup(unkToken) else {
            throw TokenizerError.malformed(path: path, reason: "unknown token \(unkToken) is not in the vocabulary")
        }
        self.vocab = vocab; self.starts = starts; self.continuations = continuations
        self.unkId = unk; self.continuingPrefix = continuingPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord; self.normalization = normalization
        self.asciiTables = ASCIITables(normalization)
    }

    /// The generic per-scalar rules of BertNormalizer + BertPreTokenizer, specialised to ASCII.
    static func classifyASCII(_ b: UInt8, _ n: BertNormalization) -> (ASCIIAction, UInt8) {
        let isTabLike = b == 9 || b == 10 || b == 13
        let isControl = (b < 32 || b == 127) && !isTabLike
        if n.cleanText && (b == 0 || isControl) { return (.drop, b) }
        let isSpace = b == 32 || (b >= 9 && b <= 13)
        if isSpace { return (.separator, b) }
        if isASCIIPunctuation(b) { return (.punctuation, b) }
        let lower = n.lowercase && b >= 65 && b <= 90 ? b + 32 : b
        return (.word, lower)
    }

    func id(of token: String) -> Int32? { starts.lookup(token) }
}

/// 128-entry action and mapping tables in fixed memory (read through raw pointers when encoding).
final class ASCIITables: @unchecked Sendable {
    let action: UnsafeMutablePointer<UInt8>
    let mapped: UnsafeMutablePointer<UInt8>
    init(_ n: BertNormalization) {
        action = .allocate(capacity: 128); mapped = .allocate(capacity: 128)
        for b in 0..<128 {
            let (a, m) = WordPieceModel.classifyASCII(UInt8(b), n)
            action[b] = a.rawValue; mapped[b] = m
        }
    }
    deinit { action.deallocate(); mapped.deallocate() }
}
