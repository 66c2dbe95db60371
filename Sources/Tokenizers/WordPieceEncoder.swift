// The encode hot path: BertNormalizer → BertPreTokenizer → greedy WordPiece in one pass over
// UTF-8 bytes. ASCII bytes go through a 128-entry action table; other scalars take the full
// Unicode path (ICU classes, NFD + Mn removal, full lowercase). Mirrors HF `tokenizers`:
//   normalize: clean text → CJK spacing → strip accents (NFD, drop Mn) → lowercase
//   pre-tokenize: split on whitespace (removed), isolate every punctuation char
//   model: greedy longest-match-first, `##` continuations, > max chars or no match → one [UNK]
// Offsets: every normalized char remembers the original scalar it came from, so a token spans
// [orig(first char), orig(last char) + 1) — HF's alignment rule for insertions and removals.

/// Tokens before post-processing: ids with original scalar spans.
struct RawTokens {
    var ids: [Int32] = []
    var starts: [Int32] = []
    var ends: [Int32] = []
    var count: Int { ids.count }

    @inline(__always) mutating func append(_ id: Int32, _ s: Int32, _ e: Int32) {
        ids.append(id); starts.append(s); ends.append(e)
    }
    mutating func truncate(to n: Int) {
        ids.removeLast(ids.count - n); starts.removeLast(starts.count - n); ends.removeLast(ends.count - n)
    }
}

/// Reusable buffers for one encode call (one word at a time).
struct WordPieceEncoder {
    let model: WordPieceModel
    private var wordBytes: [UInt8] = []   // normalized UTF-8 of the current word
    private var charStart: [Int32] = []   // byte offset in wordBytes of each char
    private var charOrig: [Int32] = []    // original scalar index of each char
    private var scratchA: [UInt32] = []
    private var scratchB: [UInt32] = []
    /// When set, words are counted here (vocabulary training) instead of being tokenized.
    var wordCounts: [String: Int]? = nil

    init(model: WordPieceModel) {
        self.model = model
        wordBytes.reserveCapacity(256); charStart.reserveCapacity(256); charOrig.reserveCapacity(256)
    }

    /// Tokenizes UTF-8 `bytes` whose first scalar is scalar number `scalarBase` of the original
    /// text; appends to `out` and returns the number of scalars consumed.
    @discardableResult
    mutating func encode(_ bytes: UnsafeBufferPointer<UInt8>, scalarBase: Int32, into out: inout RawTokens) -> Int32 {
        var i = 0, k = scalarBase
        let n = bytes.count
        model.asciiAction.withUnsafeBufferPointer { action in
            model.asciiMapped.withUnsafeBufferPointer { mapped in
                while i < n {
                    let b = bytes[i]
                    if b < 0x80 {
                        switch action[Int(b)] {
                        case .word:
                            charStart.append(Int32(wordBytes.count)); charOrig.append(k)
                            wordBytes.append(mapped[Int(b)])
                        case .separator: flushWord(into: &out)
                        case .punctuation:
                            flushWord(into: &out)
                            charStart.append(0); charOrig.append(k); wordBytes.append(b)
                            flushWord(into: &out)
                        case .drop: break
                        }
                        i += 1
                    } else {
                        let (c, len) = decodeScalar(bytes, i)
                        normalizeAndFeed(c, orig: k, into: &out)
                        i += len
                    }
                    k += 1
                }
            }
        }
        flushWord(into: &out)
        return k - scalarBase
    }

    /// Decodes the (valid) UTF-8 sequence at bytes[i]; malformed bytes read as U+FFFD.
    @inline(__always) private func decodeScalar(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b0 = UInt32(p[i]), n = p.count
        @inline(__always) func cont(_ j: Int) -> UInt32? {
            j < n && p[j] & 0xC0 == 0x80 ? UInt32(p[j] & 0x3F) : nil
        }
        if b0 & 0xE0 == 0xC0, let c1 = cont(i + 1) { return ((b0 & 0x1F) << 6 | c1, 2) }
        if b0 & 0xF0 == 0xE0, let c1 = cont(i + 1), let c2 = cont(i + 2) {
            return ((b0 & 0x0F) << 12 | c1 << 6 | c2, 3)
        }
        if b0 & 0xF8 == 0xF0, let c1 = cont(i + 1), let c2 = cont(i + 2), let c3 = cont(i + 3) {
            return ((b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3, 4)
        }
        return (0xFFFD, 1)
    }

    /// The full Unicode path for one original scalar `c` (BertNormalizer order).
    private mutating func normalizeAndFeed(_ c0: UInt32, orig: Int32, into out: inout RawTokens) {
        let norm = model.normalization
        var c = c0
        let flags = charFlags(c)
        if norm.cleanText {
            if c == 0 || c == 0xFFFD || flags & CharFlags.other != 0 { return }
            if flags & CharFlags.whitespace != 0 { c = 0x20 }
        }
        let chinese = norm.handleChineseChars && isChineseChar(c)
        if chinese { flushWord(into: &out) }
        scratchA.removeAll(keepingCapacity: true)
        if norm.stripAccents {
            appendNFD(c, to: &scratchA)
            scratchA.removeAll { $0 >= 0x80 && charFlags($0) & CharFlags.markNonspacing != 0 }
        } else {
            scratchA.append(c)
        }
        if norm.lowercase {
            scratchB.removeAll(keepingCapacity: true)
            for s in scratchA { appendLowercase(s, to: &scratchB) }
            swap(&scratchA, &scratchB)
        }
        for s in scratchA { feed(s, orig: orig, into: &out) }
        if chinese { flushWord(into: &out) }
    }

    /// BertPreTokenizer on one normalized scalar.
    @inline(__always) private mutating func feed(_ s: UInt32, orig: Int32, into out: inout RawTokens) {
        let f: UInt8 = s < 0x80 ? (s == 32 || (s >= 9 && s <= 13) ? CharFlags.whitespace
                                    : isASCIIPunctuation(UInt8(s)) ? CharFlags.punctuation : 0)
                                : charFlags(s)
        if f & CharFlags.whitespace != 0 { flushWord(into: &out); return }
        let isPunct = f & CharFlags.punctuation != 0
        if isPunct { flushWord(into: &out) }
        charStart.append(Int32(wordBytes.count)); charOrig.append(orig)
        appendUTF8(s)
        if isPunct { flushWord(into: &out) }
    }

    @inline(__always) private mutating func appendUTF8(_ s: UInt32) {
        switch s {
        case 0..<0x80: wordBytes.append(UInt8(s))
        case 0x80..<0x800:
            wordBytes.append(UInt8(0xC0 | s >> 6)); wordBytes.append(UInt8(0x80 | s & 0x3F))
        case 0x800..<0x10000:
            wordBytes.append(UInt8(0xE0 | s >> 12)); wordBytes.append(UInt8(0x80 | (s >> 6) & 0x3F))
            wordBytes.append(UInt8(0x80 | s & 0x3F))
        default:
            wordBytes.append(UInt8(0xF0 | s >> 18)); wordBytes.append(UInt8(0x80 | (s >> 12) & 0x3F))
            wordBytes.append(UInt8(0x80 | (s >> 6) & 0x3F)); wordBytes.append(UInt8(0x80 | s & 0x3F))
        }
    }

    /// WordPiece on the buffered word, then clears the buffers.
    private mutating func flushWord(into out: inout RawTokens) {
        let nChars = charOrig.count
        if nChars == 0 { return }
        defer {
            wordBytes.removeAll(keepingCapacity: true); charStart.removeAll(keepingCapacity: true)
            charOrig.removeAll(keepingCapacity: true)
        }
        if wordCounts != nil {
            wordCounts![String(decoding: wordBytes, as: UTF8.self), default: 0] += 1
            return
        }
        let wordStart = charOrig[0], wordEnd = charOrig[nChars - 1] + 1
        if nChars > model.maxInputCharsPerWord { out.append(model.unkId, wordStart, wordEnd); return }
        let mark = out.count
        let matched: Bool = wordBytes.withUnsafeBufferPointer { wb in
            charStart.withUnsafeBufferPointer { cs in
                let base = wb.baseAddress!, total = wb.count
                var s = 0
                while s < nChars {
                    let table = s == 0 ? model.starts : model.continuations
                    let bs = Int(cs[s])
                    var e = nChars
                    var found: Int32? = nil
                    while e > s {
                        let be = e == nChars ? total : Int(cs[e])
                        if be - bs <= table.maxKeyLength, let id = table.lookup(base + bs, be - bs) {
                            found = id; break
                        }
                        e -= 1
                    }
                    guard let id = found else { return false }
                    out.append(id, charOrig[s], charOrig[e - 1] + 1)
                    s = e
                }
                return true
            }
        }
        if !matched {
            out.truncate(to: mark)
            out.append(model.unkId, wordStart, wordEnd)
        }
    }
}
