// Saving and loading a LinearTextModel directory: linear_model.json + linear_model.safetensors.
// Every size read back is checked against the others (labels K, vocabulary V: idf [V],
// coef [K, V], intercept [K]); files are written atomically.
import DocketBase
import Foundation
import SafeTensors
import Training

/// linear_model.json (snake_case keys, sklearn's parameter names).
struct LinearModelConfig: Codable {
    var modelType = "tfidf_logistic_regression"
    var docketVersion = DocketVersion.current
    var labels: [String]
    var ngramRange: [Int]
    var lowercase = true
    var tokenPattern = #"(?u)\b\w\w+\b"#
    var sublinearTf = true
    var smoothIdf = true
    var norm = "l2"
    var minDf: Int
    var maxFeatures: Int?
    var c: Double
    var classWeight: ClassWeightSpec?
    var tol: Double
    var maxIter: Int
    var vocabulary: [String]

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", docketVersion = "docket_version", labels, ngramRange = "ngram_range", lowercase
        case tokenPattern = "token_pattern", sublinearTf = "sublinear_tf", smoothIdf = "smooth_idf", norm, minDf = "min_df"
        case maxFeatures = "max_features", c = "C", classWeight = "class_weight", tol, maxIter = "max_iter", vocabulary
    }
}

extension LinearTextModel {
    /// Largest linear_model.json read (bytes) and the largest vocabulary / label set accepted.
    static let maxConfigBytes = 1 << 30, maxTerms = 20_000_000, maxLabels = 100_000

    /// Whether `directory` holds a linear model.
    public static func isLinearModel(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(configFile).path)
    }

    /// Writes linear_model.json and linear_model.safetensors into `directory` (created if needed).
    public func save(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = LinearModelConfig(labels: labels, ngramRange: [1, vectorizer.maxNgram], minDf: options.minDocumentFrequency,
                                       maxFeatures: options.maxFeatures, c: options.c, classWeight: options.classWeights,
                                       tol: options.tolerance, maxIter: options.maxIterations, vocabulary: vectorizer.terms)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(config), to: directory.appendingPathComponent(Self.configFile))
        let k = labels.count, v = vectorizer.terms.count
        var coef = [Float](repeating: 0, count: k * v)  // [K, V]
        for j in 0..<v { for c in 0..<k { coef[c * v + j] = weights[j * k + c] } }
        let idf = vectorizer.idf.map { Float($0) }
        try idf.withUnsafeBufferPointer { pi in try coef.withUnsafeBufferPointer { pc in try intercept.withUnsafeBufferPointer { pb in
            try SafeTensorsWriter.write([("idf", [v], pi), ("coef", [k, v], pc), ("intercept", [k], pb)],
                                        metadata: ["format": "docket-linear"], to: directory.appendingPathComponent(Self.weightsFile))
        } } }
    }

    /// Loads a directory written by `save(to:)`.
    public static func load(directory: URL) throws -> LinearTextModel {
        let configURL = directory.appendingPathComponent(configFile), file = configURL.path
        let data: Data
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            guard size <= maxConfigBytes else { throw LinearModelError.invalidModel(file: file, detail: "larger than \(maxConfigBytes) bytes") }
            data = try Data(contentsOf: configURL)
        } catch let e as LinearModelError { throw e } catch {
            throw LinearModelError.invalidModel(file: file, detail: "cannot read (\(error.localizedDescription))")
        }
        let config: LinearModelConfig
        do { config = try JSONDecoder().decode(LinearModelConfig.self, from: data) } catch {
            throw LinearModelError.invalidModel(file: file, detail: "not a linear model config (\(error))")
        }
        try validate(config, file: file)
        let weightsPath = directory.appendingPathComponent(weightsFile)
        let st = try SafeTensorsFile(contentsOf: weightsPath)
        let k = config.labels.count, v = config.vocabulary.count
        for (name, shape) in [("idf", [v]), ("coef", [k, v]), ("intercept", [k])] {
            let info = try st.info(name)
            guard info.shape == shape else {
                throw LinearModelError.invalidModel(file: weightsPath.path, detail: "'\(name)' has shape \(info.shape), expected \(shape) (labels × vocabulary of \(configFile))")
            }
        }
        let coef = try st.floats("coef"), idf = try st.floats("idf").map(Double.init), intercept = try st.floats("intercept")
        guard idf.allSatisfy({ $0.isFinite }), coef.allSatisfy({ $0.isFinite }), intercept.allSatisfy({ $0.isFinite }) else {
            throw LinearModelError.invalidModel(file: weightsPath.path, detail: "non-finite weights")
        }
        var weights = [Float](repeating: 0, count: k * v)
        for c in 0..<k { for j in 0..<v { weights[j * k + c] = coef[c * v + j] } }
        let vectorizer: TfidfVectorizer
        do { vectorizer = try TfidfVectorizer(maxNgram: config.ngramRange[1], terms: config.vocabulary, idf: idf) } catch {
            throw LinearModelError.invalidModel(file: file, detail: "\(error)")
        }
        var options = LinearModelOptions()
        options.maxNgram = config.ngramRange[1]; options.minDocumentFrequency = config.minDf; options.maxFeatures = config.maxFeatures
        options.c = config.c; options.classWeights = config.classWeight; options.tolerance = config.tol; options.maxIterations = config.maxIter
        return LinearTextModel(labels: config.labels, vectorizer: vectorizer, weights: weights, intercept: intercept, options: options)
    }

    private static func validate(_ c: LinearModelConfig, file: String) throws {
        func bad(_ detail: String) -> LinearModelError { .invalidModel(file: file, detail: detail) }
        guard c.modelType == "tfidf_logistic_regression" else { throw bad("model_type '\(c.modelType)' is not tfidf_logistic_regression") }
        guard c.ngramRange.count == 2, c.ngramRange[0] == 1, (1...TfidfVectorizer.ngramLimit).contains(c.ngramRange[1]) else {
            throw bad("ngram_range must be [1, n] with n in 1...\(TfidfVectorizer.ngramLimit)")
        }
        guard c.lowercase, c.tokenPattern == #"(?u)\b\w\w+\b"#, c.sublinearTf, c.smoothIdf, c.norm == "l2" else {
            throw bad("only lowercase, token_pattern (?u)\\b\\w\\w+\\b, sublinear_tf, smooth_idf and norm l2 are supported")
        }
        guard (2...maxLabels).contains(c.labels.count), Set(c.labels).count == c.labels.count else {
            throw bad("labels must be 2...\(maxLabels) distinct names")
        }
        guard c.vocabulary.count <= maxTerms else { throw bad("vocabulary larger than \(maxTerms) terms") }
    }
}
