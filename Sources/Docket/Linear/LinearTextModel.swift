// A linear text classifier: TF-IDF features (TfidfVectorizer.swift) and a multinomial logistic
// regression (LogisticRegression.swift), scikit-learn's
//   make_pipeline(TfidfVectorizer(ngram_range=(1, n), sublinear_tf=True, min_df=m, max_features=F),
//                 LogisticRegression(C=C, class_weight="balanced" | None))
// Saved as a model directory: linear_model.json (settings, labels, vocabulary in feature
// order) and linear_model.safetensors (idf [V], coef [K, V] and intercept [K], float32, the
// names and layouts of sklearn's idf_, coef_ and intercept_).
import Foundation
import Training

/// Training settings of a `LinearTextModel`.
public struct LinearModelOptions: Sendable, Equatable, Codable {
    /// Word n-grams 1...maxNgram.
    public var maxNgram = 2
    /// Keep terms found in at least this many training documents (sklearn min_df as a count).
    public var minDocumentFrequency = 1
    /// Keep at most this many terms, the most frequent (sklearn max_features); nil = all.
    public var maxFeatures: Int?
    /// Inverse L2 strength (sklearn C).
    public var c = 1.0
    /// nil = every document weighs 1; .balanced = n / (classes · count[class]).
    public var classWeights: ClassWeightSpec? = .balanced
    /// L-BFGS stops when the largest gradient component is at most this.
    public var tolerance = 1e-6
    public var maxIterations = 2000
    public init() {}
}

public enum LinearModelError: Error, Equatable, CustomStringConvertible, Sendable {
    case invalidArgument(String)
    case invalidModel(file: String, detail: String)

    public var description: String {
        switch self {
        case let .invalidArgument(m): return "linear model: \(m)"
        case let .invalidModel(file, detail): return "\(file): \(detail)"
        }
    }
}

public struct LinearTextModel: Sendable {
    public static let configFile = "linear_model.json"
    public static let weightsFile = "linear_model.safetensors"

    /// Labels in id order (sorted, like sklearn's classes_).
    public let labels: [String]
    public let vectorizer: TfidfVectorizer
    /// Weights feature-major: weights[j · K + k] is coef_[k, j].
    let weights: [Float]
    public let intercept: [Float]
    public let options: LinearModelOptions
    public var vocabularySize: Int { vectorizer.terms.count }

    /// Facts about a fit.
    public struct TrainingSummary: Sendable {
        public var documents: Int
        public var features: Int
        public var iterations: Int
        public var converged: Bool
        public var seconds: Double
    }

    /// Fits the vectorizer and the regression on labelled texts.
    public static func train(texts: [String], labels: [String], options: LinearModelOptions = .init()) throws -> (LinearTextModel, TrainingSummary) {
        guard texts.count == labels.count else { throw LinearModelError.invalidArgument("\(texts.count) texts but \(labels.count) labels") }
        guard options.c > 0, options.c.isFinite else { throw LinearModelError.invalidArgument("C must be positive and finite, got \(options.c)") }
        guard options.tolerance > 0, options.maxIterations >= 1 else { throw LinearModelError.invalidArgument("tolerance must be positive and max iterations at least 1") }
        let start = Date()
        let classes = Array(Set(labels)).sorted(by: TfidfVectorizer.pythonOrder)
        guard classes.count >= 2 else { throw LinearModelError.invalidArgument("training needs at least two labels, found \(classes.count)") }
        let id = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let y = labels.map { id[$0]! }
        let classWeight: [Double]
        do {
            classWeight = try options.classWeights.map { try $0.weights(classes: classes.count, trainingLabels: y).map(Double.init) }
                ?? [Double](repeating: 1, count: classes.count)
        } catch { throw LinearModelError.invalidArgument("\(error)") }
        let vectorizer = try TfidfVectorizer.fit(texts, maxNgram: options.maxNgram, minDocumentFrequency: options.minDocumentFrequency,
                                                 maxFeatures: options.maxFeatures)
        let x = vectorizer.transform(texts)
        let fit = LogisticRegression.fit(x: x, features: vectorizer.terms.count, y: y, classes: classes.count,
                                         sampleWeights: y.map { classWeight[$0] }, c: options.c,
                                         tolerance: options.tolerance, maxIterations: options.maxIterations)
        let model = LinearTextModel(labels: classes, vectorizer: vectorizer, weights: fit.weightsByFeature.map { Float($0) },
                                    intercept: fit.intercept.map { Float($0) }, options: options)
        return (model, TrainingSummary(documents: texts.count, features: vectorizer.terms.count, iterations: fit.iterations,
                                       converged: fit.converged, seconds: Date().timeIntervalSince(start)))
    }

    /// Decision values W·x + b per text (label-id order).
    public func logits(_ texts: [String]) -> [[Float]] {
        let x = vectorizer.transform(texts), k = labels.count
        return (0..<x.rows).map { row in
            var z = intercept.map(Double.init)
            for p in x.rowStart[row]..<x.rowStart[row + 1] {
                let base = Int(x.columns[p]) * k, v = x.values[p]
                for j in 0..<k { z[j] += v * Double(weights[base + j]) }
            }
            return z.map { Float($0) }
        }
    }

    /// Class probabilities per text (softmax of the logits, label-id order).
    public func probabilities(_ texts: [String]) -> [[Double]] {
        logits(texts).map { z in
            let m = Double(z.max() ?? 0)
            let e = z.map { exp(Double($0) - m) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        }
    }
}

extension LinearModelError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
