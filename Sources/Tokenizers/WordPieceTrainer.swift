// WordPiece vocabulary training — a small, deterministic variant of HF's WordPiece trainer
// (which runs BPE with a `##` continuation prefix):
//  1. Normalize and pre-tokenize the corpus exactly as encoding does (BertNormalizer +
//     BertPreTokenizer) and count words.
//  2. Vocabulary = [PAD] [UNK] [CLS] [SEP] [MASK], then every character seen at the start of a
//     word, then every character seen inside a word as `##c` (each group by descending
//     frequency, ties by code point order) — so no seen character ever becomes [UNK].
//  3. Repeat until the vocabulary is full: split every word into its current pieces, count
//     adjacent piece pairs weighted by word frequency, take the most frequent pairs (count ≥ 2,
//     ties broken by the merged string) — up to 1/8 of the room left per round — add each merged
//     piece (`a` + `b` without its `##`), and apply those merges to every word.
// The output is a vocab.txt list; encoding with it uses ordinary greedy longest-match WordPiece.

public enum WordPieceTrainer {
    public static let specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    /// Trains a vocabulary of at most `vocabSize` tokens from `texts`.
    public static func train(texts: some Sequence<String>, vocabSize: Int,
                             normalization: BertNormalization = BertNormalization(),
                             minFrequency: Int = 2) throws -> [String] {
        guard vocabSize > specialTokens.count else {
            throw TokenizerError.invalidArgument("vocab size \(vocabSize) must exceed the \(specialTokens.count) special tokens")
        }
        let counts = try countWords(texts, normalization: normalization)
        guard !counts.isEmpty else { throw TokenizerError.invalidArgument("the corpus holds no words") }
        // Words as piece sequences, sorted for determinism.
        var words: [(pieces: [String], count: Int)] = counts.sorted { $0.key < $1.key }.map { w, c in
            (w.unicodeScalars.enumerated().map { i, s in i == 0 ? String(s) : "##" + String(s) }, c)
        }
        var vocab = specialTokens
        var seen = Set(vocab)
        var initial: [String: Int] = [:], inner: [String: Int] = [:]
        for w in words {
            for (i, p) in w.pieces.enumerated() { if i == 0 { initial[p, default: 0] += w.count } else { inner[p, default: 0] += w.count } }
        }
        for group in [initial, inner] {
            for (p, _) in group.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) where !seen.contains(p) {
                vocab.append(p); seen.insert(p)
            }
        }
        while vocab.count < vocabSize {
            var pairs: [PairKey: Int] = [:]
            for w in words where w.pieces.count > 1 {
                for i in 0..<(w.pieces.count - 1) { pairs[PairKey(a: w.pieces[i], b: w.pieces[i + 1]), default: 0] += w.count }
            }
            let room = vocabSize - vocab.count
            let ranked = pairs.filter { $0.value >= minFrequency }
                .map { (key: $0.key, merged: $0.key.merged, count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.merged < $1.merged }
            if ranked.isEmpty { break }
            var chosen: [PairKey: String] = [:]
            for r in ranked where chosen.count < max(1, room / 8) && !seen.contains(r.merged) {
                chosen[r.key] = r.merged; vocab.append(r.merged); seen.insert(r.merged)
            }
            if chosen.isEmpty { break }
            for k in words.indices where words[k].pieces.count > 1 { words[k].pieces = applyMerges(words[k].pieces, chosen) }
        }
        return vocab
    }

    struct PairKey: Hashable {
        let a: String, b: String
        /// `a` + `b` without its `##` (compared as bytes: "##" + a combining mark is one Character).
        var merged: String { a + (b.utf8.starts(with: "##".utf8) ? String(decoding: b.utf8.dropFirst(2), as: UTF8.self) : b) }
    }

    /// Left-to-right: merge each adjacent pair that is among the chosen merges.
    static func applyMerges(_ pieces: [String], _ chosen: [PairKey: String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(pieces.count)
        var i = 0
        while i < pieces.count {
            if i + 1 < pieces.count, let m = chosen[PairKey(a: pieces[i], b: pieces[i + 1])] {
                out.append(m); i += 2
            } else {
                out.append(pieces[i]); i += 1
            }
        }
        return out
    }

    /// Word counts after BERT normalization + pre-tokenization (the encoder's own code path).
    static func countWords(_ texts: some Sequence<String>, normalization: BertNormalization) throws -> [String: Int] {
        let model = try WordPieceModel(vocab: ["[UNK]"], unkToken: "[UNK]", normalization: normalization, path: "<training>")
        var enc = WordPieceEncoder(model: model)
        enc.wordCounts = [:]
        var sink = TokenSink(capacity: 16)
        for var t in texts {
            _ = t.withUTF8 { enc.encode($0, scalarBase: 0, into: &sink) }
        }
        defer { enc.free(); _ = sink.finish() }
        return enc.wordCounts ?? [:]
    }
}
