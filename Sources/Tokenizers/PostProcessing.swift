// Truncation windows, special-token templates and padding, as HF `tokenizers` applies them:
//   truncate_encodings (LongestFirst / OnlyFirst / OnlySecond, stride windows) →
//   TemplateProcessing (`[CLS] A [SEP]`, `[CLS] A [SEP] B [SEP]:1`) → Encoding::merge
//   (overflow order: (Aᵢ,B₀), (Aᵢ,Bⱼ)… for each A window i ≥ 1, then (A₀,Bⱼ)) → padding (right).

/// One piece of a post-processing template (HF `TemplateProcessing` / `BertProcessing`).
enum TemplatePiece: Sendable, Equatable {
    case sequence(index: Int, typeId: Int32)
    case special(ids: [Int32], tokens: [String], typeId: Int32)
}

struct PostProcessor: Sendable, Equatable {
    var single: [TemplatePiece]
    var pair: [TemplatePiece]

    /// `[CLS] A [SEP]` and `[CLS] A [SEP] B [SEP]` with type ids 0,0,0 / 1,1.
    static func bert(cls: (String, Int32), sep: (String, Int32)) -> PostProcessor {
        let c = TemplatePiece.special(ids: [cls.1], tokens: [cls.0], typeId: 0)
        let s0 = TemplatePiece.special(ids: [sep.1], tokens: [sep.0], typeId: 0)
        let s1 = TemplatePiece.special(ids: [sep.1], tokens: [sep.0], typeId: 1)
        return PostProcessor(single: [c, .sequence(index: 0, typeId: 0), s0],
                             pair: [c, .sequence(index: 0, typeId: 0), s0, .sequence(index: 1, typeId: 1), s1])
    }

    static let empty = PostProcessor(single: [.sequence(index: 0, typeId: 0)],
                                     pair: [.sequence(index: 0, typeId: 0), .sequence(index: 1, typeId: 1)])

    func addedTokens(isPair: Bool) -> Int {
        (isPair ? pair : single).reduce(0) { n, p in
            if case let .special(ids, _, _) = p { return n + ids.count }
            return n
        }
    }
}

/// A half-open window [lower, upper) into a RawTokens.
typealias Window = Range<Int>

/// HF `Encoding::truncate` (direction right): the main window then the overflowing ones.
func truncationWindows(length: Int, maxLength: Int, stride: Int) throws -> [Window] {
    if maxLength >= length { return [0..<length] }
    if maxLength == 0 { return [0..<0, 0..<length] }
    guard stride < maxLength else {
        throw TokenizerError.invalidArgument("stride \(stride) must be smaller than the \(maxLength) tokens left for text in each window")
    }
    var windows: [Window] = []
    var start = 0
    while true {
        let stop = min(start + maxLength, length)
        windows.append(start..<stop)
        if stop == length { break }
        start += maxLength - stride
    }
    return windows
}

/// Lengths each sequence is truncated to (HF `truncate_encodings`), `budget` excluding specials.
func truncatedLengths(_ n1: Int, _ n2: Int?, budget: Int, strategy: TruncationStrategy) throws -> (Int, Int?) {
    guard let n2 = n2 else { return (min(n1, budget), nil) }
    if n1 + n2 <= budget { return (n1, n2) }
    let toRemove = n1 + n2 - budget
    switch strategy {
    case .longestFirst:
        var (a, b) = (min(n1, n2), max(n1, n2))
        b = a > budget ? a : max(a, budget - a)
        if a + b > budget { a = budget / 2; b = a + budget % 2 }
        return n1 > n2 ? (b, a) : (a, b)
    case .onlyFirst:
        guard n1 > toRemove else { throw TokenizerError.invalidArgument("first sequence too short to truncate to \(budget) tokens") }
        return (n1 - toRemove, n2)
    case .onlySecond:
        guard n2 > toRemove else { throw TokenizerError.invalidArgument("second sequence too short to truncate to \(budget) tokens") }
        return (n1, n2 - toRemove)
    }
}

/// Assembles encodings from raw tokens: template, window combinations, token strings.
struct EncodingAssembler {
    let post: PostProcessor
    let idToToken: [String]
    let addSpecialTokens: Bool

    func token(_ id: Int32) -> String { Int(id) < idToToken.count && id >= 0 ? idToToken[Int(id)] : "" }

    func assemble(_ a: RawTokens, _ aw: [Window], _ b: RawTokens?, _ bw: [Window]) -> Encoding {
        let seqs: [(RawTokens, [Window])] = b.map { [(a, aw), ($0, bw)] } ?? [(a, aw)]
        if seqs.allSatisfy({ $0.1.count == 1 }) { return build(seqs.map { ($0.0, $0.1[0]) }, pair: b != nil) }
        // Overflowing windows: HF builds one encoding per template piece (sequences carry their
        // windows as `overflowing`) and folds them with Encoding::merge_with, whose cross products
        // and nesting we reproduce literally.
        let template = addSpecialTokens ? (b != nil ? post.pair : post.single)
            : (b != nil ? PostProcessor.empty.pair : PostProcessor.empty.single)
        var result = Encoding()
        for piece in template {
            var part: Encoding
            switch piece {
            case .special:
                part = build(piece: piece, nil)
            case let .sequence(index, _):
                guard index < seqs.count else { continue }
                let (raw, windows) = seqs[index]
                part = build(piece: piece, (raw, windows[0]))
                part.overflowing = windows.dropFirst().map { build(piece: piece, (raw, $0)) }
            }
            merge(&result, part)
        }
        return result
    }

    /// HF `Encoding::merge_with` (growing_offsets = false), including its overflow combinations.
    func merge(_ e: inout Encoding, _ other: Encoding) {
        var over: [Encoding] = []
        for selfO in e.overflowing {
            var n = selfO; merge(&n, other); over.append(n)
            for otherO in other.overflowing { var m = selfO; merge(&m, otherO); over.append(m) }
        }
        for otherO in other.overflowing { var n = e; merge(&n, otherO); over.append(n) }
        e.ids += other.ids; e.typeIds += other.typeIds; e.tokens += other.tokens; e.offsets += other.offsets
        e.attentionMask += other.attentionMask; e.specialTokensMask += other.specialTokensMask
        e.overflowing = over
    }

    private func build(piece: TemplatePiece, _ seq: (RawTokens, Window)?) -> Encoding {
        var e = Encoding()
        append(piece, seq, to: &e)
        e.attentionMask = [Int32](repeating: 1, count: e.ids.count)
        return e
    }

    /// One encoding from whole template (no overflow): each field filled in one pre-sized pass.
    private func build(_ seqs: [(RawTokens, Window)], pair: Bool) -> Encoding {
        let template = addSpecialTokens ? (pair ? post.pair : post.single)
            : (pair ? PostProcessor.empty.pair : PostProcessor.empty.single)
        // Flatten the template into runs: (ids, starts, ends, typeId, special) per piece.
        var total = 0
        for piece in template {
            switch piece {
            case let .special(ids, _, _): total += ids.count
            case let .sequence(index, _): if index < seqs.count { total += seqs[index].1.count }
            }
        }
        var e = Encoding()
        e.ids = [Int32](unsafeUninitializedCapacity: total) { buf, n in
            for piece in template {
                switch piece {
                case let .special(ids, _, _): for id in ids { buf[n] = id; n += 1 }
                case let .sequence(index, _):
                    guard index < seqs.count else { continue }
                    let (raw, w) = seqs[index]
                    raw.ids.withUnsafeBufferPointer { src in for i in w { buf[n] = src[i]; n += 1 } }
                }
            }
        }
        e.offsets = [TokenOffset](unsafeUninitializedCapacity: total) { buf, n in
            for piece in template {
                switch piece {
                case let .special(ids, _, _): for _ in ids { buf[n] = .none; n += 1 }
                case let .sequence(index, _):
                    guard index < seqs.count else { continue }
                    let (raw, w) = seqs[index]
                    raw.starts.withUnsafeBufferPointer { s in
                        raw.ends.withUnsafeBufferPointer { t in
                            for i in w { buf[n] = TokenOffset(s[i], t[i]); n += 1 }
                        }
                    }
                }
            }
        }
        e.typeIds.reserveCapacity(total); e.specialTokensMask.reserveCapacity(total)
        for piece in template {
            switch piece {
            case let .special(ids, _, typeId):
                e.typeIds += repeatElement(typeId, count: ids.count); e.specialTokensMask += repeatElement(1, count: ids.count)
            case let .sequence(index, typeId):
                guard index < seqs.count else { continue }
                e.typeIds += repeatElement(typeId, count: seqs[index].1.count)
                e.specialTokensMask += repeatElement(0, count: seqs[index].1.count)
            }
        }
        e.tokens = idToToken.withUnsafeBufferPointer { names in
            e.ids.map { id in id >= 0 && Int(id) < names.count ? names[Int(id)] : "" }
        }
        // Specials from the template keep the template's token text (it may differ from the vocab's).
        var n = 0
        for piece in template {
            switch piece {
            case let .special(_, tokens, _): for t in tokens { e.tokens[n] = t; n += 1 }
            case let .sequence(index, _): if index < seqs.count { n += seqs[index].1.count }
            }
        }
        e.attentionMask = [Int32](repeating: 1, count: total)
        return e
    }

    /// Appends one template piece (a special token, or a window of a sequence) to `e`.
    private func append(_ piece: TemplatePiece, _ seq: (RawTokens, Window)?, to e: inout Encoding) {
        switch piece {
        case let .special(ids, tokens, typeId):
            for (id, t) in zip(ids, tokens) {
                e.ids.append(id); e.typeIds.append(typeId); e.tokens.append(t)
                e.offsets.append(.none); e.specialTokensMask.append(1)
            }
        case let .sequence(_, typeId):
            guard let (raw, w) = seq else { return }
            for i in w {
                let id = raw.ids[i]
                e.ids.append(id); e.typeIds.append(typeId); e.tokens.append(token(id))
                e.offsets.append(TokenOffset(raw.starts[i], raw.ends[i]))
                e.specialTokensMask.append(0)
            }
        }
    }
}

/// Right-pads `e` and its overflowing windows to `length` (HF `Encoding::pad`).
func pad(_ e: inout Encoding, to length: Int, padId: Int32, padToken: String, padTypeId: Int32) {
    for i in e.overflowing.indices { pad(&e.overflowing[i], to: length, padId: padId, padToken: padToken, padTypeId: padTypeId) }
    let n = length - e.ids.count
    if n <= 0 { return }
    e.ids += repeatElement(padId, count: n); e.typeIds += repeatElement(padTypeId, count: n)
    e.attentionMask += repeatElement(0, count: n); e.specialTokensMask += repeatElement(1, count: n)
    e.tokens += repeatElement(padToken, count: n); e.offsets += repeatElement(.none, count: n)
}
