// TF-IDF features mirroring scikit-learn's `TfidfVectorizer(ngram_range=(1, n), sublinear_tf=True,
// smooth_idf=True, norm="l2", min_df=..., max_features=...)` with its default analyzer:
// lower-case, tokens = r"(?u)\b\w\w+\b" (runs of two or more word characters), word n-grams
// joined by one space (`_word_ngrams`). Fitting keeps terms in at least `minDocumentFrequency`
// training documents, then the `maxFeatures` most frequent (total count; ties broken by term,
// which sklearn leaves to an unstable sort). Features are numbered in Python's sorted order.
//   tf  = 1 + ln(count)             (sublinear)
//   idf = ln((1 + n) / (1 + df)) + 1 (smooth)
//   x   = tf · idf / ‖tf · idf‖₂
import Foundation

/// Rows of a sparse matrix (CSR): row r holds columns[rowStart[r]..<rowStart[r+1]] (ascending) and their values.
public struct SparseRows: Sendable {
    public var rowStart: [Int] = [0]
    public var columns: [Int32] = []
    public var values: [Double] = []
    public var rows: Int { rowStart.count - 1 }

    mutating func append(row: [(Int32, Double)]) {
        for (c, v) in row { columns.append(c); values.append(v) }
        rowStart.append(columns.count)
    }
}

public struct TfidfVectorizer: Sendable, Equatable {
    /// Largest n-gram length (n-grams 1...maxNgram; sklearn's ngram_range=(1, maxNgram)).
    public var maxNgram: Int
    /// Terms in feature order.
    public let terms: [String]
    /// idf per feature (smooth idf).
    public let idf: [Double]
    let index: [String: Int32]

    public init(maxNgram: Int, terms: [String], idf: [Double]) throws {
        guard (1...Self.ngramLimit).contains(maxNgram) else { throw LinearModelError.invalidArgument("n-gram length \(maxNgram) must be in 1...\(Self.ngramLimit)") }
        guard terms.count == idf.count else { throw LinearModelError.invalidArgument("\(terms.count) terms but \(idf.count) idf values") }
        var index: [String: Int32] = [:]
        index.reserveCapacity(terms.count)
        for (i, t) in terms.enumerated() {
            guard index.updateValue(Int32(i), forKey: t) == nil else { throw LinearModelError.invalidArgument("term '\(t)' appears twice in the vocabulary") }
        }
        self.maxNgram = maxNgram; self.terms = terms; self.idf = idf; self.index = index
    }

    public static let ngramLimit = 5

    /// Learns the vocabulary and idf from training texts.
    public static func fit(_ texts: [String], maxNgram: Int = 2, minDocumentFrequency: Int = 1,
                           maxFeatures: Int? = nil) throws -> TfidfVectorizer {
        guard !texts.isEmpty else { throw LinearModelError.invalidArgument("no training texts") }
        guard minDocumentFrequency >= 1 else { throw LinearModelError.invalidArgument("min document frequency must be at least 1") }
        if let maxFeatures, maxFeatures < 1 { throw LinearModelError.invalidArgument("max features must be at least 1") }
        guard (1...ngramLimit).contains(maxNgram) else { throw LinearModelError.invalidArgument("n-gram length \(maxNgram) must be in 1...\(ngramLimit)") }
        var df: [String: Int] = [:], total: [String: Int] = [:]
        for text in texts {
            for (term, count) in termCounts(text, maxNgram: maxNgram) {
                df[term, default: 0] += 1; total[term, default: 0] += count
            }
        }
        var kept = df.filter { $0.value >= minDocumentFrequency }.map(\.key)
        if let maxFeatures, kept.count > maxFeatures {
            kept.sort { a, b in total[a]! != total[b]! ? total[a]! > total[b]! : pythonOrder(a, b) }
            kept = Array(kept.prefix(maxFeatures))
        }
        kept.sort(by: pythonOrder)
        let n = Double(texts.count)
        let idf = kept.map { log((1 + n) / (1 + Double(df[$0]!))) + 1 }
        return try TfidfVectorizer(maxNgram: maxNgram, terms: kept, idf: idf)
    }

    /// l2-normalised sublinear tf-idf rows, one per text; unknown terms are ignored.
    public func transform(_ texts: [String]) -> SparseRows {
        var out = SparseRows()
        out.rowStart.reserveCapacity(texts.count + 1)
        for text in texts {
            var row: [(Int32, Double)] = []
            for (term, count) in Self.termCounts(text, maxNgram: maxNgram) {
                guard let j = index[term] else { continue }
                row.append((j, (1 + log(Double(count))) * idf[Int(j)]))
            }
            row.sort { $0.0 < $1.0 }
            let norm = row.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
            out.append(row: norm > 0 ? row.map { ($0.0, $0.1 / norm) } : row)
        }
        return out
    }

    /// Counts of every n-gram (1...maxNgram) of the text's tokens.
    static func termCounts(_ text: String, maxNgram: Int) -> [String: Int] {
        let tokens = Self.tokens(text)
        var counts: [String: Int] = [:]
        for t in tokens { counts[t, default: 0] += 1 }
        if maxNgram >= 2 {
            for n in 2...maxNgram where tokens.count >= n {
                for i in 0...(tokens.count - n) { counts[tokens[i..<(i + n)].joined(separator: " "), default: 0] += 1 }
            }
        }
        return counts
    }

    /// Lower-cased runs of word characters (letters, numbers, "_") of two or more characters:
    /// sklearn's default token_pattern r"(?u)\b\w\w+\b" applied to `text.lower()`.
    public static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            if isWordScalar(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                if current.count >= 2 { out.append(String(current)) }
                current = String.UnicodeScalarView()
            }
        }
        if current.count >= 2 { out.append(String(current)) }
        return out
    }

    /// Python's `\w` on str: letters (categories L*), anything with a numeric value, and "_".
    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s == "_" || s.properties.numericType != nil { return true }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// Python's string order: code point by code point.
    static func pythonOrder(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
    }

    public static func == (a: TfidfVectorizer, b: TfidfVectorizer) -> Bool {
        a.maxNgram == b.maxNgram && a.terms == b.terms && a.idf == b.idf
    }
}
