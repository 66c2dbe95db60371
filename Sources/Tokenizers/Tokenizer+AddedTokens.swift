// Added tokens (HF `AddedVocabulary`): special tokens such as [CLS] or [MASK] written in the text
// are matched verbatim (leftmost, longest first) before normalization and never split.

extension Tokenizer {
    /// Splits `bytes` around added-token matches. `segment` tokenizes a stretch of ordinary text
    /// starting at original scalar `base` and returns the scalars it consumed; `added` receives
    /// each match as (id, start scalar, end scalar).
    func splitOnAddedTokens(_ bytes: UnsafeBufferPointer<UInt8>,
                            segment: (UnsafeBufferPointer<UInt8>, Int32) -> Int32,
                            added: (Int32, Int32, Int32) -> Void) {
        if addedTokens.isEmpty { _ = segment(bytes, 0); return }
        var firstBytes = [Bool](repeating: false, count: 256)
        for t in addedTokens { if let b = t.content.utf8.first { firstBytes[Int(b)] = true } }
        var segStart = 0, scalar: Int32 = 0, i = 0
        let n = bytes.count
        while i < n {
            guard firstBytes[Int(bytes[i])], let t = match(bytes, at: i) else { i += 1; continue }
            if i > segStart {
                scalar += segment(UnsafeBufferPointer(rebasing: bytes[segStart..<i]), scalar)
            }
            let len = t.content.utf8.count
            let scalars = Int32(t.content.unicodeScalars.count)
            added(t.id, scalar, scalar + scalars)
            scalar += scalars
            i += len
            segStart = i
        }
        if segStart < n { _ = segment(UnsafeBufferPointer(rebasing: bytes[segStart..<n]), scalar) }
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
}
