// ids → text. WordPiece as HF's WordPiece decoder: join with spaces, glue `##` continuations to
// the previous token, `cleanup` applied token by token (as HF does).
// SentencePiece through libsentencepiece's own decoder.
import Foundation

extension Tokenizer {
    public func decode(_ ids: [Int32], skipSpecialTokens: Bool = true) -> String {
        let kept = ids.filter { !(skipSpecialTokens && specialIds.contains($0)) }
        switch model {
        case let .wordPiece(m): return Tokenizer.decodeWordPiece(kept.map { token(for: $0) }, prefix: m.continuingPrefix)
        case let .sentencePiece(m):
            // libsentencepiece drops control symbols itself and renders unknowns as " ⁇ ".
            return m.decode(ids.filter { !(skipSpecialTokens && specialIds.contains($0) && $0 != m.unkId) })
        }
    }

    /// HF `decoders::WordPiece::decode_chain`: per token, strip the prefix (or prepend a space
    /// when it has none) and, as `cleanup` is on, clean that token alone; then concatenate.
    static func decodeWordPiece(_ tokens: [String], prefix: String) -> String {
        var out = ""
        let p = Array(prefix.utf8)
        for (i, t) in tokens.enumerated() {
            var piece: String
            if i == 0 {
                piece = t
            } else if !p.isEmpty, t.utf8.starts(with: p) {
                piece = String(decoding: t.utf8.dropFirst(p.count), as: UTF8.self)
            } else {
                piece = " " + t
            }
            out += cleanup(piece)
        }
        return out
    }

    /// HF `decoders::wordpiece::cleanup` (no space before . ? ! , and English contractions).
    static func cleanup(_ s: String) -> String {
        var s = s
        for (a, b) in [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                       (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")]
        where s.contains(a) {
            s = s.replacingOccurrences(of: a, with: b)
        }
        return s
    }
}
