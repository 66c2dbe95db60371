// A deterministic text composer for the corpus generator: draws from a SeededRNG with fixed
// arithmetic (never `Int.random(in:using:)`, whose algorithm may change between toolchains),
// fills `{slot}` placeholders from document bindings or the shared legal vocabulary, and
// counts words so templates can grow a document to a drawn target length. It carries the
// corpus text (Corpora/templates) every template function draws its sentences from.
import DocketBase

struct TextComposer {
    private var rng: SeededRNG
    /// The sentences, headings and word lists of Corpora/templates.
    let text: CorpusText
    /// Per-document slot bindings (e.g. "A" = the first party), consulted before the vocabulary.
    var bindings: [String: String] = [:]

    init(rng: SeededRNG, text: CorpusText) { self.rng = rng; self.text = text }

    var state: SeededRNG { rng }

    /// Uniform integer in `range` (modulo draw; the bias is < 2^-50 for these small ranges).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(rng.next() % span)
    }

    /// Uniform in [0, 1) with 53 bits.
    mutating func uniform() -> Double { Double(rng.next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

    mutating func chance(_ p: Double) -> Bool { uniform() < p }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// `count` distinct items in random order (all of them when count ≥ items.count).
    mutating func sample<T>(_ items: [T], _ count: Int) -> [T] {
        Array(shuffled(items).prefix(count))
    }

    /// Fisher–Yates shuffle.
    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var a = items
        var i = a.count - 1
        while i > 0 {
            let j = int(0...i)
            a.swapAt(i, j)
            i -= 1
        }
        return a
    }

    /// Replaces every `{slot}` with its binding or a fresh draw from the vocabulary.
    mutating func fill(_ template: String) -> String {
        var out = ""
        out.reserveCapacity(template.utf8.count + 64)
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { out += rest[open...]; return out }
            let key = String(rest[rest.index(after: open)..<close])
            out += value(for: key)
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    /// `fill` after substituting `values` (what the template code computed: a title, a number),
    /// exactly as if they had been written into the template: substituted text is filled too.
    mutating func fill(_ template: String, _ values: [String: String]) -> String {
        fill(bind(template, values))
    }

    /// Sentence templates already used in this document; `line` and `paragraph` prefer unused
    /// ones so a long document does not repeat itself until its pools run dry.
    private var used: Set<String> = []

    /// Fills a random template from `pool`, preferring one not yet used in this document.
    mutating func line(_ pool: [String]) -> String {
        let fresh = pool.filter { !used.contains($0) }
        let t = pick(fresh.isEmpty ? pool : fresh)
        used.insert(t)
        return fill(t)
    }

    /// `count` distinct sentences from `pool` (unused ones first), filled and joined into one paragraph.
    mutating func paragraph(_ pool: [String], _ count: ClosedRange<Int>) -> String {
        sentences(pool, count).joined(separator: " ")
    }

    /// `count` distinct filled sentences from `pool`, unused ones first.
    mutating func sentences(_ pool: [String], _ count: ClosedRange<Int>) -> [String] {
        let n = int(count)
        let fresh = pool.filter { !used.contains($0) }
        var chosen = sample(fresh, n)
        if chosen.count < n { chosen += sample(pool.filter { !chosen.contains($0) }, n - chosen.count) }
        used.formUnion(chosen)
        return chosen.map { fill($0) }
    }

    private mutating func value(for key: String) -> String {
        if let bound = bindings[key] { return bound }
        return LegalVocabulary.draw(key, &self)
    }
}

/// Replaces the `{slot}`s named in `values`, leaving every other slot for `fill`.
func bind(_ template: String, _ values: [String: String]) -> String {
    var out = ""
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
        let key = String(rest[rest.index(after: open)..<close])
        out += rest[..<open]
        out += values[key] ?? String(rest[open...close])
        rest = rest[rest.index(after: close)...]
    }
    return out + rest
}

/// Word count as whitespace-separated tokens.
func wordCount(_ text: String) -> Int {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
}

/// Builds a document from parts until it reaches a drawn target length.
struct DocumentBuilder {
    private(set) var parts: [String] = []
    private(set) var words = 0

    mutating func add(_ part: String) {
        parts.append(part)
        words += wordCount(part)
    }

    var text: String { parts.joined(separator: "\n\n") }
}

/// Draws a target length in words, skewed towards shorter documents: 80 + 620·u^1.5 (u uniform).
func drawTargetWords(_ c: inout TextComposer, range: ClosedRange<Int> = 80...700) -> Int {
    let u = c.uniform()
    return range.lowerBound + Int(Double(range.upperBound - range.lowerBound) * u * u.squareRoot())
}

/// Adds body parts from `next(index)` until the document holds about `target` words, leaving
/// `reserve` words for the closing; always adds at least `minimum` parts.
func grow(_ b: inout DocumentBuilder, target: Int, reserve: Int = 0, minimum: Int = 1,
          _ next: (Int) -> String) {
    var i = 0
    while i < minimum || (b.words + reserve < target && i < 60) {
        b.add(next(i))
        i += 1
    }
}

/// "John Smith\nTitle" signature lines for a party.
func signatureBlock(_ party: String, _ c: inout TextComposer) -> String {
    let name = c.fill("{person}")
    return c.fill(c.text.shared.signatureBlock, ["party": party, "name": name])
}
