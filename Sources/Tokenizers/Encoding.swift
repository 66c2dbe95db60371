// The value an encode call returns, plus the truncation and padding settings.
// Mirrors the fields of HF `tokenizers.Encoding` that a classifier needs.

/// A token's span in the original text, in Unicode scalars, half-open [start, end).
/// Special and padding tokens get (0, 0), as in HF tokenizers.
public struct TokenOffset: Sendable, Hashable, Codable, CustomStringConvertible {
    public var start: Int32
    public var end: Int32
    public init(_ start: Int32, _ end: Int32) { self.start = start; self.end = end }
    public static let none = TokenOffset(0, 0)
    public var description: String { "(\(start), \(end))" }
}

/// One encoded sequence (or pair). All arrays have the same length.
public struct Encoding: Sendable, Equatable {
    public var ids: [Int32]
    /// 0 for the first sequence (and its specials), 1 for the second of a pair.
    public var typeIds: [Int32]
    /// 1 for real tokens (specials included), 0 for padding.
    public var attentionMask: [Int32]
    /// 1 for special and padding tokens, 0 for tokens from the text.
    public var specialTokensMask: [Int32]
    public var tokens: [String]
    public var offsets: [TokenOffset]
    /// Further windows when truncation with a stride split a long input (HF `overflowing`).
    public var overflowing: [Encoding]

    public init(ids: [Int32] = [], typeIds: [Int32] = [], attentionMask: [Int32] = [],
                specialTokensMask: [Int32] = [], tokens: [String] = [], offsets: [TokenOffset] = [],
                overflowing: [Encoding] = []) {
        self.ids = ids; self.typeIds = typeIds; self.attentionMask = attentionMask
        self.specialTokensMask = specialTokensMask; self.tokens = tokens; self.offsets = offsets
        self.overflowing = overflowing
    }

    public var count: Int { ids.count }
}

/// How a batch is padded.
public enum Padding: Sendable, Equatable {
    case none
    /// To the longest encoding in the batch.
    case longest
    /// To this length (longer encodings are left as they are, as in HF).
    case fixed(Int)
}

/// Which sequence loses tokens when a pair is too long (HF `TruncationStrategy`).
public enum TruncationStrategy: String, Sendable, Equatable {
    case longestFirst = "LongestFirst", onlyFirst = "OnlyFirst", onlySecond = "OnlySecond"
}

/// Truncation settings; `maxLength` counts the special tokens.
public struct Truncation: Sendable, Equatable {
    public var maxLength: Int
    public var stride: Int
    public var strategy: TruncationStrategy
    public init(maxLength: Int, stride: Int = 0, strategy: TruncationStrategy = .longestFirst) {
        self.maxLength = maxLength; self.stride = stride; self.strategy = strategy
    }
}
