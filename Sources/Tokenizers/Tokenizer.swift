// The public tokenizer: WordPiece (HF BERT semantics) or SentencePiece behind one immutable,
// thread-safe type. Loading lives in Tokenizer+Loading.swift, saving in Tokenizer+Saving.swift.
import Foundation

/// A token matched verbatim in the raw text before normalization (HF `added_tokens`).
struct AddedToken: Sendable, Equatable {
    var content: String
    var id: Int32
    var special: Bool
}

/// The model behind a Tokenizer.
enum TokenizerModel: Sendable {
    case wordPiece(WordPieceModel)
    case sentencePiece(SentencePieceModel)
}

public final class Tokenizer: Sendable {
    public enum Kind: String, Sendable { case wordPiece = "wordpiece", sentencePiece = "sentencepiece" }

    let model: TokenizerModel
    let post: PostProcessor
    let addedTokens: [AddedToken]
    let idToToken: [String]
    let specialIds: Set<Int32>
    let addedFirstBytes: ByteSet
    /// Where the tokenizer was loaded from (for messages).
    public let sourcePath: String
    public let vocabSize: Int
    public let padId: Int32, clsId: Int32, sepId: Int32, unkId: Int32
    public let maskId: Int32?
    public let padToken: String
    /// tokenizer_config.json `model_max_length` (nil when absent or "infinite").
    public let modelMaxLength: Int?
    /// Truncation configured by tokenizer.json (HF `Tokenizer.from_file` would apply it; Docket's
    /// `encode` truncates only when given `maxLength`, so pass `configuredTruncation?.maxLength`).
    public let configuredTruncation: Truncation?
    /// Padding configured by tokenizer.json (informational; batch calls take their own).
    public let configuredPadding: Padding?

    public var kind: Kind {
        if case .wordPiece = model { return .wordPiece }
        return .sentencePiece
    }

    init(model: TokenizerModel, post: PostProcessor, addedTokens: [AddedToken], idToToken: [String],
         sourcePath: String, special: (pad: Int32, cls: Int32, sep: Int32, unk: Int32, mask: Int32?),
         padToken: String, modelMaxLength: Int?, truncation: Truncation?, padding: Padding?) {
        self.model = model; self.post = post
        self.addedTokens = addedTokens.sorted { $0.content.utf8.count > $1.content.utf8.count }
        self.idToToken = idToToken; self.sourcePath = sourcePath
        self.specialIds = Set(addedTokens.filter(\.special).map(\.id))
        self.addedFirstBytes = ByteSet(addedTokens.compactMap { $0.content.utf8.first })
        self.vocabSize = idToToken.count
        (padId, clsId, sepId, unkId, maskId) = special
        self.padToken = padToken; self.modelMaxLength = modelMaxLength
        self.configuredTruncation = truncation; self.configuredPadding = padding
    }

    /// Encodes one text (or a pair). `maxLength` counts the special tokens; nil means no
    /// truncation. With `stride` > 0 the tokens cut off are returned as
    /// overlapping windows in `overflowing` (HF `return_overflowing_tokens=True, stride=S`).
    public func encode(_ text: String, pair: String? = nil, addSpecialTokens: Bool = true,
                       maxLength: Int? = nil, stride: Int = 0,
                       truncationStrategy: TruncationStrategy = .longestFirst) throws -> Encoding {
        if let m = maxLength, m < 0 { throw TokenizerError.invalidArgument("max length \(m) is negative") }
        if stride < 0 { throw TokenizerError.invalidArgument("stride \(stride) is negative") }
        let rawA = tokenizeRaw(text)
        let rawB = pair.map { tokenizeRaw($0) }
        var aw: [Window] = [0..<rawA.count], bw: [Window] = [0..<(rawB?.count ?? 0)]
        let trunc = maxLength.map { Truncation(maxLength: $0, stride: stride, strategy: truncationStrategy) }
        if let t = trunc {
            let added = addSpecialTokens ? post.addedTokens(isPair: rawB != nil) : 0
            guard t.maxLength >= added else {
                throw TokenizerError.invalidArgument("max length \(t.maxLength) is below the \(added) special tokens")
            }
            let budget = t.maxLength - added
            let (n1, n2) = try truncatedLengths(rawA.count, rawB?.count, budget: budget, strategy: t.strategy)
            aw = try truncationWindows(length: rawA.count, maxLength: n1, stride: t.stride)
            if let rb = rawB, let n2 { bw = try truncationWindows(length: rb.count, maxLength: n2, stride: t.stride) }
        }
        let assembler = EncodingAssembler(post: post, idToToken: idToToken, addSpecialTokens: addSpecialTokens)
        return assembler.assemble(rawA, aw, rawB, bw)
    }

    /// Encodes many texts (and optional pairs, same count), then pads them.
    public func encodeBatch(_ texts: [String], pairs: [String]? = nil, addSpecialTokens: Bool = true,
                            maxLength: Int? = nil, stride: Int = 0, padding: Padding = .longest) throws -> [Encoding] {
        if let pairs, pairs.count != texts.count {
            throw TokenizerError.invalidArgument("\(texts.count) texts but \(pairs.count) pairs")
        }
        var out = try texts.indices.map { i in
            try encode(texts[i], pair: pairs?[i], addSpecialTokens: addSpecialTokens, maxLength: maxLength, stride: stride)
        }
        applyPadding(&out, padding)
        return out
    }

    /// Pads encodings in place (right side, `[PAD]`, attention 0, offsets (0,0)).
    public func applyPadding(_ encodings: inout [Encoding], _ padding: Padding) {
        let target: Int
        switch padding {
        case .none: return
        case .longest: target = encodings.map(\.count).max() ?? 0
        case let .fixed(n): target = n
        }
        for i in encodings.indices { pad(&encodings[i], to: target, padId: padId, padToken: padToken, padTypeId: 0) }
    }

    /// Token string for an id ("" when out of range).
    public func token(for id: Int32) -> String { id >= 0 && Int(id) < idToToken.count ? idToToken[Int(id)] : "" }

    /// Id for a token string, if it is in the vocabulary.
    public func id(for token: String) -> Int32? {
        if let a = addedTokens.first(where: { $0.content == token }) { return a.id }
        switch model {
        case let .wordPiece(m): return m.id(of: token)
        case let .sentencePiece(m): return m.id(of: token)
        }
    }
}

extension Tokenizer {
    /// SentencePiece only: ids straight from libsentencepiece (no offsets, no post-processing);
    /// the benchmark's in-process peer. Empty for WordPiece tokenizers.
    public func rawSentencePieceIds(_ text: String) -> [Int32] {
        if case let .sentencePiece(m) = model { return m.encodeIds(text) }
        return []
    }
}
