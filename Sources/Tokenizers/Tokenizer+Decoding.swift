import Foundation
// ids → text, as HF's WordPiece decoder does it: join with spaces, glue `##` continuations to
// the previous token, then `cleanup` (no space before . ? ! , and English contractions).

extension Tokenizer {
    public func decode(_ ids: [Int32], skipSpecialTokens: Bool = true) -> String {
        let tokens = ids.filter { !(skipSpecialTokens && specialIds.contains($0)) }.map { token(for: $0) }
        switch model {
        case let .wordPiece(m): return Tokenizer.decodeWordPiece(tokens, prefix: m.continuingPrefix)
        }
    }

    static func decodeWordPiece(_ tokens: [String], prefix: String) -> String {
        var out = ""
        for (i, t) in tokens.enumerated() {
            if i > 0 {
                if !prefix.isEmpty, t.hasPrefix(prefix) { out += t.dropFirst(prefix.count); continue }
                out += " "
            }
            out += t
        }
        return cleanup(out)
    }

    /// HF `decoders::wordpiece::cleanup` (the replacements BERT's decoder applies).
    static func cleanup(_ s: String) -> String {
        var s = s
        for (a, b) in [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                       (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")] {
            s = s.replacingOccurrences(of: a, with: b)
        }
        return s
    }
}
