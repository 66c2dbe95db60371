// The encode hot path: BertNormalizer → BertPreTokenizer → greedy WordPiece in one pass over
// UTF-8 bytes. ASCII bytes go through a 128-entry action table; other scalars take the full
// Unicode path (ICU classes, NFD + Mn removal, full lowercase). Mirrors HF `tokenizers`:
//   normalize: clean text → CJK spacing → strip accents (NFD, drop Mn) → lowercase
//   pre-tokenize: split on whitespace (removed), isolate every punctuation char
//   model: greedy longest-match-first, `##` continuations, > max chars or no match → one [UNK]
// Offsets: every normalized char remembers the original scalar it came from, so a token spans
// [orig(first char), orig(last char) + 1) — HF's alignment rule for insertions and removals.
// NFD's canonical reordering permutes marks across original characters. HF tags each decomposed
// scalar as "consumes the next original char" (the first of a decomposition) or "inserted"
// (the rest, aligned with the scalar before it); the tags move with the scalars when they are
// reordered and alignments are then consumed in order. So decomposed scalars wait in `pending`
// until the next starter, are reordered there, aligned, and only then filtered, lowercased, split.
// All state is raw pointers and integers (trivially copyable): no refcounting in the loop.

/// Tokens before post-processing: ids with original scalar spans.
struct RawTokens {
    var ids: [Int32] = []
    var starts: [Int32] = []
    var ends: [Int32] = []
    var count: Int { ids.count }
}

struct WordPieceEncoder {
    private let starts: VocabView, continuations: VocabView
    private let action: UnsafePointer<UInt8>, mapped: UnsafePointer<UInt8>
    private let norm: BertNormalization
    private let unkId: Int32
    private let maxChars: Int
    private var word: GrowBuffer<UInt8>      // normalized UTF-8 of the current word
    private var charStart: GrowBuffer<Int32> // byte offset in `word` of each char
    private var charOrig: GrowBuffer<Int32>  // original scalar index of each char
    private var scratchA: GrowBuffer<UInt32>, scratchB: GrowBuffer<UInt32>
    private var pending: GrowBuffer<UInt32>       // NFD output awaiting reordering
    private var pendingInserted: GrowBuffer<UInt8> // 1 when not the first scalar of its decomposition
    private var pendingOrig: GrowBuffer<Int32>     // original index of each contributing char, in order
    private var lastOrig: Int32 = 0                // alignment of the last scalar drained
    /// When set, words are counted here (vocabulary training) instead of being tokenized.
    var wordCounts: [String: Int]? = nil

    init(model: WordPieceModel) {
        starts = model.starts.view; continuations = model.continuations.view
        action = UnsafePointer(model.asciiTables.action); mapped = UnsafePointer(model.asciiTables.mapped)
        norm = model.normalization; unkId = model.unkId; maxChars = model.maxInputCharsPerWord
        word = GrowBuffer(capacity: 256); charStart = GrowBuffer(capacity: 256); charOrig = GrowBuffer(capacity: 256)
        scratchA = GrowBuffer(capacity: 64); scratchB = GrowBuffer(capacity: 64)
        pending = GrowBuffer(capacity: 64); pendingInserted = GrowBuffer(capacity: 64)
        pendingOrig = GrowBuffer(capacity: 64)
    }

    /// Frees the buffers; call once when done (the model's tables are not owned here).
    func free() {
        word.free(); charStart.free(); charOrig.free(); scratchA.free(); scratchB.free()
        pending.free(); pendingInserted.free(); pendingOrig.free()
    }

    /// Tokenizes UTF-8 `bytes` whose first scalar is scalar number `scalarBase` of the original
    /// text; appends to `out` and returns the number of scalars consumed.
    @discardableResult
    mutating func encode(_ bytes: UnsafeBufferPointer<UInt8>, scalarBase: Int32, into out: inout TokenSink) -> Int32 {
        guard let p = bytes.baseAddress else { return 0 }
        var i = 0, k = scalarBase
        let n = bytes.count
        while i < n {
            let b = p[i]
            if b < 0x80 {
                let act = action[Int(b)]
                // A starter ends the pending run; a control char dropped by clean_text does not
                // (HF cleans the whole text before NFD).
                if pending.count > 0 && act != 3 { drainPending(into: &out) }
                switch act {
                case 0: // word character
                    charStart.append(Int32(word.count)); charOrig.append(k); word.append(mapped[Int(b)])
                case 1: flushWord(into: &out)
                case 2: // punctuation: a word of its own
                    flushWord(into: &out)
                    charStart.append(0); charOrig.append(k); word.append(b)
                    flushWord(into: &out)
                default: break // dropped control character
                }
                i += 1
            } else {
                let (c, len) = decodeScalar(p, n, i)
                normalizeAndFeed(c, orig: k, into: &out)
                i += len
            }
            k += 1
        }
        drainPending(into: &out)
        flushWord(into: &out)
        return k - scalarBase
    }

    /// Decodes the (valid) UTF-8 sequence at p[i]; malformed bytes read as U+FFFD.
    @inline(__always) private func decodeScalar(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> (UInt32, Int) {
        let b0 = UInt32(p[i])
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
    private mutating func normalizeAndFeed(_ c0: UInt32, orig: Int32, into out: inout TokenSink) {
        var c = c0
        let flags = charFlags(c)
        if norm.cleanText {
            if c == 0 || c == 0xFFFD || flags & CharFlags.other != 0 { return }
            if flags & CharFlags.whitespace != 0 { c = 0x20 }
        }
        let chinese = norm.handleChineseChars && isChineseChar(c)
        if chinese { drainPending(into: &out); flushWord(into: &out) }
        if norm.stripAccents {
            scratchA.removeAll()
            appendNFD(c, to: &scratchA)
            for j in 0..<scratchA.count {
                let d = scratchA[j]
                if combiningClass(d) == 0 { drainPending(into: &out) }
                pending.append(d); pendingInserted.append(j == 0 ? 0 : 1)
                if j == 0 { pendingOrig.append(orig) }
            }
            if chinese { drainPending(into: &out) }
        } else {
            emit(c, orig: orig, into: &out)
        }
        if chinese { flushWord(into: &out) }
    }

    /// Canonical reordering of the pending NFD scalars (stable by combining class within each
    /// run of non-starters, insertion tags moving along), alignment, then Mn removal and the rest.
    private mutating func drainPending(into out: inout TokenSink) {
        let n = pending.count
        if n == 0 { return }
        let p = pending.base, tag = pendingInserted.base
        var i = 0
        while i < n {
            if combiningClass(p[i]) == 0 { i += 1; continue }
            var j = i
            while j < n && combiningClass(p[j]) != 0 { j += 1 }
            if j - i > 1 {  // insertion sort: runs are a few marks long
                for a in (i + 1)..<j {
                    let v = p[a], t = tag[a], cv = combiningClass(v)
                    var b = a
                    while b > i && combiningClass(p[b - 1]) > cv { p[b] = p[b - 1]; tag[b] = tag[b - 1]; b -= 1 }
                    p[b] = v; tag[b] = t
                }
            }
            i = j
        }
        var consumed = 0, orig = lastOrig
        for k in 0..<n {
            // A first scalar consumes the next original char; an inserted one shares the alignment
            // of the scalar before it (possibly drained earlier: Hangul jamo are all starters).
            if tag[k] == 0 && consumed < pendingOrig.count { orig = pendingOrig[consumed]; consumed += 1 }
            let s = p[k]
            if s >= 0x80 && charFlags(s) & CharFlags.markNonspacing != 0 { continue }
            emit(s, orig: orig, into: &out)
        }
        lastOrig = orig
        pending.removeAll(); pendingInserted.removeAll(); pendingOrig.removeAll()
    }

    /// Lowercase (when asked) then pre-tokenize one normalized scalar.
    @inline(__always) private mutating func emit(_ s: UInt32, orig: Int32, into out: inout TokenSink) {
        if norm.lowercase && s >= 0x80 {
            scratchB.removeAll()
            appendLowercase(s, to: &scratchB)
            for j in 0..<scratchB.count { feed(scratchB[j], orig: orig, into: &out) }
        } else {
            feed(norm.lowercase && s >= 65 && s <= 90 ? s + 32 : s, orig: orig, into: &out)
        }
    }

    /// BertPreTokenizer on one normalized scalar.
    @inline(__always) private mutating func feed(_ s: UInt32, orig: Int32, into out: inout TokenSink) {
        let f: UInt8 = s < 0x80 ? (s == 32 || (s >= 9 && s <= 13) ? CharFlags.whitespace
                                    : isASCIIPunctuation(UInt8(s)) ? CharFlags.punctuation : 0)
                                : charFlags(s)
        if f & CharFlags.whitespace != 0 { flushWord(into: &out); return }
        let isPunct = f & CharFlags.punctuation != 0
        if isPunct { flushWord(into: &out) }
        charStart.append(Int32(word.count)); charOrig.append(orig)
        appendUTF8(s)
        if isPunct { flushWord(into: &out) }
    }

    @inline(__always) private mutating func appendUTF8(_ s: UInt32) {
        switch s {
        case 0..<0x80: word.append(UInt8(s))
        case 0x80..<0x800:
            word.append(UInt8(0xC0 | s >> 6)); word.append(UInt8(0x80 | s & 0x3F))
        case 0x800..<0x10000:
            word.append(UInt8(0xE0 | s >> 12)); word.append(UInt8(0x80 | (s >> 6) & 0x3F))
            word.append(UInt8(0x80 | s & 0x3F))
        default:
            word.append(UInt8(0xF0 | s >> 18)); word.append(UInt8(0x80 | (s >> 12) & 0x3F))
            word.append(UInt8(0x80 | (s >> 6) & 0x3F)); word.append(UInt8(0x80 | s & 0x3F))
        }
    }

    /// WordPiece on the buffered word, then clears the buffers.
    @inline(__always) private mutating func flushWord(into out: inout TokenSink) {
        let nChars = charOrig.count
        if nChars == 0 { return }
        defer { word.removeAll(); charStart.removeAll(); charOrig.removeAll() }
        if wordCounts != nil {
            wordCounts![String(decoding: UnsafeBufferPointer(start: word.base, count: word.count), as: UTF8.self), default: 0] += 1
            return
        }
        let orig = charOrig.base, cs = charStart.base, base = UnsafePointer(word.base), total = word.count
        let wordStart = orig[0], wordEnd = orig[nChars - 1] + 1
        if nChars > maxChars { out.append(unkId, wordStart, wordEnd); return }
        let mark = out.count
        var s = 0
        while s < nChars {
            let table = s == 0 ? starts : continuations
            let bs = Int(cs[s])
            var e = nChars
            var id: Int32 = -1
            while e > s {
                let be = e == nChars ? total : Int(cs[e])
                if be - bs <= table.maxKeyLength {
                    id = table.lookup(base + bs, be - bs)
                    if id >= 0 { break }
                }
                e -= 1
            }
            if id < 0 {
                out.truncate(to: mark)
                out.append(unkId, wordStart, wordEnd)
                return
            }
            out.append(id, orig[s], orig[e - 1] + 1)
            s = e
        }
    }
}
