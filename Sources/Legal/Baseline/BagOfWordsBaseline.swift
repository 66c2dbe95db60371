// A bag-of-words baseline: multinomial naive Bayes on word counts, mirroring scikit-learn's
// `CountVectorizer()` (lower-cased tokens of two or more word characters, the default
// token_pattern r"(?u)\b\w\w+\b"; words unseen in training are ignored) followed by
// `MultinomialNB(alpha=1)` (Laplace smoothing, class priors from the training frequencies).
import Foundation

public struct BagOfWordsBaseline: Sendable {
    /// Class names in index order (sorted, like sklearn's classes_).
    public let labels: [String]
    let vocabulary: [String: Int]
    /// logPriors[k] = log(N_k / N)
    let logPriors: [Double]
    /// logLikelihoods[k][w] = log((count_kw + α) / (Σ_w count_kw + α·V)), row-major K × V.
    let logLikelihoods: [[Double]]

    public var vocabularySize: Int { vocabulary.count }

    /// Fits on parallel texts and labels.
    public static func train(texts: [String], labels: [String], alpha: Double = 1) throws -> BagOfWordsBaseline {
        guard texts.count == labels.count else { throw BaselineError.lengthMismatch(texts.count, labels.count) }
        guard !texts.isEmpty else { throw BaselineError.empty }
        guard alpha > 0, alpha.isFinite else { throw BaselineError.badAlpha(alpha) }
        let classes = Array(Set(labels)).sorted()
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var vocabulary: [String: Int] = [:]
        var counts: [[Double]] = Array(repeating: [], count: classes.count)
        var docs = [Int](repeating: 0, count: classes.count)
        for (text, label) in zip(texts, labels) {
            let k = classIndex[label] ?? 0
            docs[k] += 1
            for token in tokens(text) {
                let w: Int
                if let id = vocabulary[token] { w = id } else { w = vocabulary.count; vocabulary[token] = w }
                if counts[k].count <= w { counts[k] += [Double](repeating: 0, count: w + 1 - counts[k].count) }
                counts[k][w] += 1
            }
        }
        let v = vocabulary.count
        let logLikelihoods = counts.map { row -> [Double] in
            let full = row + [Double](repeating: 0, count: v - row.count)
            let denominator = log(full.reduce(0, +) + alpha * Double(v))
            return full.map { log($0 + alpha) - denominator }
        }
        let n = Double(texts.count)
        return BagOfWordsBaseline(labels: classes, vocabulary: vocabulary,
                                  logPriors: docs.map { log(Double($0) / n) }, logLikelihoods: logLikelihoods)
    }

    /// Joint log-likelihood per class: log P(k) + Σ_w count_w · log θ_kw (unnormalised).
    public func jointLogLikelihood(_ text: String) -> [Double] {
        var scores = logPriors
        for token in Self.tokens(text) {
            guard let w = vocabulary[token] else { continue }
            for k in scores.indices { scores[k] += logLikelihoods[k][w] }
        }
        return scores
    }

    /// The most likely class (first index on ties, like numpy's argmax).
    public func predict(_ text: String) -> String {
        let s = jointLogLikelihood(text)
        var best = 0
        for k in s.indices where s[k] > s[best] { best = k }
        return labels[best]
    }

    /// Lower-cased runs of word characters (letters, numbers, "_"), keeping runs of two or more characters: sklearn's default token pattern.
    public static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for scalar in text.lowercased().unicodeScalars {
            if isWordScalar(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                if current.unicodeScalars.count >= 2 { out.append(current) }
                current = ""
            }
        }
        if current.unicodeScalars.count >= 2 { out.append(current) }
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
}

/// Accuracy of a baseline on labelled texts.
public struct BaselineScore: Sendable, Codable, Equatable {
    public var name: String
    public var accuracy: Double
    public var correct: Int
    public var total: Int
}

extension BagOfWordsBaseline {
    public func score(texts: [String], labels gold: [String]) throws -> BaselineScore {
        guard texts.count == gold.count else { throw BaselineError.lengthMismatch(texts.count, gold.count) }
        guard !texts.isEmpty else { throw BaselineError.empty }
        let correct = zip(texts, gold).filter { predict($0) == $1 }.count
        return BaselineScore(name: "multinomial naive Bayes on word counts (alpha 1)",
                             accuracy: Double(correct) / Double(texts.count), correct: correct, total: texts.count)
    }
}

public enum BaselineError: Error, Equatable, CustomStringConvertible {
    case lengthMismatch(Int, Int)
    case empty
    case badAlpha(Double)

    public var description: String {
        switch self {
        case let .lengthMismatch(a, b): return "baseline: \(a) texts but \(b) labels"
        case .empty: return "baseline: no examples"
        case let .badAlpha(a): return "baseline: smoothing alpha must be positive and finite, got \(a)"
        }
    }
}

extension BaselineError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
