// Added tokens (HF `AddedVocabulary`): special tokens such as [CLS] or [MASK] written in the text
// are matched verbatim (leftmost, longest first) before normalization and never split.
import Foundation

/// A stretch of the input: ordinary text bytes, or one added token.
enum TextPiece {
    case text(Range<Int>)
    case added(AddedToken)
}

/// First bytes of the added tokens: a 256-entry table in fixed memory, plus the single byte
/// when there is only one (then the scan is a memchr).
final class ByteSet: @unchecked Sendable {
    let table: UnsafeMutablePointer<UInt8>
    let single: Int32?
    let isEmpty: Bool
    init(_ bytes: [UInt8]) {
        table = .allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        for b in bytes { table[Int(b)] = 1 }
        let distinct = Set(bytes)
        single = distinct.count == 1 ? Int32(distinct.first!) : nil
        isEmpty = distinct.isEmpty
    }
    deinit { table.deallocate() }

    /// Index of the next byte at or after `i` that may start an added token, or `n`.
    @inline(__always) func next(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        if let c = single {
            guard let hit = memchr(p + i, c, n - i) else { return n }
            return UnsafeRawPointer(hit) - UnsafeRawPointer(p)
        }
        var j = i
        while j < n && table[Int(p[j])] == 0 { j += 1 }
        return j
    }
}

extension Tokenizer {
    /// Splits `bytes` into ordinary text and added-token matches, in order.
    func splitOnAddedTokens(_ bytes: UnsafeBufferPointer<UInt8>) -> [TextPiece] {
        let n = bytes.count
        guard !addedFirstBytes.isEmpty, n > 0, let p = bytes.baseAddress else { return [.text(0..<n)] }
        var pieces: [TextPiece] = []
        var segStart = 0, i = 0
        while true {
            i = addedFirstBytes.next(p, i, n)
            if i >= n { break }
            guard let t = match(bytes, at: i) else { i += 1; continue }
            if i > segStart { pieces.append(.text(segStart..<i)) }
            pieces.append(.added(t))
            i += t.content.utf8.count
            segStart = i
        }
        if segStart < n || pieces.isEmpty { pieces.append(.text(segStart..<n)) }
        return pieces
    }

    /// The longest added token whose bytes start at bytes[i] (tokens are sorted longest first).
    private func match(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> AddedToken? {
        outer: for t in addedTokens {
            let u = t.content.utf8
            if u.isEmpty || i + u.count > bytes.count { continue }
            var j = i
            for b in u {
                if bytes[j] != b { continue outer }
                j += 1
            }
            return t
        }
        return nil
    }

    /// Text → raw tokens: added tokens matched verbatim, the rest through the model.
    func tokenizeRaw(_ text: String) -> RawTokens {
        var text = text
        return text.withUTF8 { bytes in
            var sink = TokenSink(capacity: bytes.count / 4 + 8)
            let pieces = splitOnAddedTokens(bytes)
            var scalar: Int32 = 0
            switch model {
            case let .wordPiece(m):
                var enc = WordPieceEncoder(model: m)
                for piece in pieces {
                    switch piece {
                    case let .text(r): scalar += enc.encode(UnsafeBufferPointer(rebasing: bytes[r]), scalarBase: scalar, into: &sink)
                    case let .added(t): scalar = appendAdded(t, at: scalar, into: &sink)
                    }
                }
                enc.free()
            case let .sentencePiece(m):
                for piece in pieces {
                    switch piece {
                    case let .text(r): scalar += m.encode(UnsafeBufferPointer(rebasing: bytes[r]), scalarBase: scalar, into: &sink)
                    case let .added(t): scalar = appendAdded(t, at: scalar, into: &sink)
                    }
                }
            }
            return sink.finish()
        }
    }

    private func appendAdded(_ t: AddedToken, at scalar: Int32, into sink: inout TokenSink) -> Int32 {
        let end = scalar + Int32(t.content.unicodeScalars.count)
        sink.append(t.id, scalar, end)
        return end
    }
}
