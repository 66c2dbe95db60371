// An ensemble: several classifiers (encoders, linear models, in any mix) scoring the same
// labels, pooled log-linearly (a weighted product of experts):
//   z = Σₘ wₘ · log pₘ(x),   p(x) = softmax(z)
// With weights summing to 1 this is the weighted geometric mean of the members'
// probabilities; the total weight acts as an inverse temperature. `fit` chooses w ≥ 0 on
// labelled dev data by minimising the class-balanced negative log-likelihood (each document
// weighted n / (K · count[its label]), scikit-learn's "balanced"), a convex problem in w.
// Saved as one directory: ensemble.json + one subdirectory per member.
import DocketBase
import Foundation

public struct Ensemble: Sendable {
    public static let configFile = "ensemble.json"

    public struct Member: Sendable {
        /// Subdirectory of the ensemble directory holding the member.
        public var directory: String
        public var weight: Double
        public var classifier: TextClassifier
        /// Encoder members: the max length the weights were fitted with, used when the
        /// caller's options give none (nil: the model's own limit).
        public var maxLength: Int?
        public init(directory: String, weight: Double, classifier: TextClassifier, maxLength: Int? = nil) {
            self.directory = directory; self.weight = weight; self.classifier = classifier; self.maxLength = maxLength
        }
    }

    public let members: [Member]
    /// Labels in id order (the first member's).
    public let labels: [String]

    /// Members must name the same labels (in any order).
    public init(members: [Member]) throws {
        guard let first = members.first else { throw EnsembleError.invalid(file: "<memory>", detail: "an ensemble needs at least one member") }
        for m in members {
            guard Set(m.classifier.labels) == Set(first.classifier.labels), m.classifier.labels.count == first.classifier.labels.count else {
                throw EnsembleError.invalid(file: m.directory, detail: "labels (\(m.classifier.labels.joined(separator: ", "))) differ from "
                                            + "\(first.directory)'s (\(first.classifier.labels.joined(separator: ", ")))")
            }
            guard m.weight >= 0, m.weight.isFinite else { throw EnsembleError.invalid(file: m.directory, detail: "weight \(m.weight) must be finite and ≥ 0") }
        }
        self.members = members; labels = first.classifier.labels
    }

    /// Pooled probabilities (label-id order) and the most windows any member used, per text.
    func classify(_ texts: [String], pairs: [String?]?, batchSize: Int,
                  progress: (@Sendable (Int, Int) -> Void)?) throws -> [(probabilities: [Double], windows: Int)] {
        var z = [[Double]](repeating: [Double](repeating: 0, count: labels.count), count: texts.count)
        var windows = [Int](repeating: 1, count: texts.count)
        for (index, m) in members.enumerated() {
            let done = index * texts.count, total = members.count * texts.count
            let predictions = try m.classifier.classify(texts, pairs: pairs, batchSize: batchSize) { d, n in
                progress?(done + d * texts.count / max(n, 1), total)
            }
            for (i, p) in predictions.enumerated() {
                for (j, label) in labels.enumerated() { z[i][j] += m.weight * Self.safeLog(Double(p.probabilities[label] ?? 0)) }
                windows[i] = max(windows[i], p.windows)
            }
        }
        return zip(z, windows).map { (Self.softmax($0), $1) }
    }

    static func safeLog(_ p: Double) -> Double { log(max(p, 1e-30)) }

    static func softmax(_ z: [Double]) -> [Double] {
        let m = z.max() ?? 0
        let e = z.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }
}

public enum EnsembleError: Error, Equatable, CustomStringConvertible, Sendable {
    case invalid(file: String, detail: String)

    public var description: String {
        switch self { case let .invalid(file, detail): return "\(file): \(detail)" }
    }
}

/// ensemble.json.
struct EnsembleConfig: Codable {
    struct MemberEntry: Codable {
        var directory: String; var weight: Double; var maxLength: Int?
        enum CodingKeys: String, CodingKey { case directory, weight, maxLength = "max_length" }
    }
    var modelType = "ensemble"
    var docketVersion = DocketVersion.current
    var combine = "log_linear"
    var labels: [String]
    var members: [MemberEntry]
    /// How the weights were chosen (e.g. "balanced_nll on dev.jsonl" or "given").
    var fittedOn: String?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", docketVersion = "docket_version", combine, labels, members, fittedOn = "fitted_on"
    }
}

extension Ensemble {
    static let maxMembers = 16, maxConfigBytes = 1 << 20

    /// ensemble.json, checked for size, kind and member count.
    static func readConfig(_ directory: URL) throws -> EnsembleConfig {
        let url = directory.appendingPathComponent(configFile), file = url.path
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        guard size <= maxConfigBytes else { throw EnsembleError.invalid(file: file, detail: "larger than \(maxConfigBytes) bytes") }
        let config: EnsembleConfig
        do { config = try JSONDecoder().decode(EnsembleConfig.self, from: try Data(contentsOf: url)) } catch {
            throw EnsembleError.invalid(file: file, detail: "not an ensemble config (\(error))")
        }
        guard config.modelType == "ensemble", config.combine == "log_linear" else {
            throw EnsembleError.invalid(file: file, detail: "model_type must be ensemble and combine log_linear")
        }
        guard (1...maxMembers).contains(config.members.count) else { throw EnsembleError.invalid(file: file, detail: "1...\(maxMembers) members expected") }
        return config
    }

    public static func isEnsemble(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(configFile).path)
    }

    /// Loads ensemble.json and each member directory (members get `options`, top-k aside; a
    /// member's recorded max_length applies when `options.maxLength` is nil).
    public static func load(directory: URL, options: TextClassifier.Options = .init()) throws -> Ensemble {
        let file = directory.appendingPathComponent(configFile).path
        let config = try readConfig(directory)
        var memberOptions = options
        memberOptions.topK = 1
        var members: [Member] = []
        for entry in config.members {
            let d = entry.directory
            guard !d.isEmpty, !d.contains("/"), d != ".", d != ".." else {
                throw EnsembleError.invalid(file: file, detail: "member directory '\(d)' must be a plain subdirectory name")
            }
            let sub = directory.appendingPathComponent(d)
            guard !isEnsemble(sub) else { throw EnsembleError.invalid(file: file, detail: "member '\(d)' is itself an ensemble") }
            if let m = entry.maxLength, !(3...100_000).contains(m) { throw EnsembleError.invalid(file: file, detail: "member '\(d)': max_length \(m) out of range") }
            memberOptions.maxLength = options.maxLength ?? entry.maxLength
            members.append(Member(directory: d, weight: entry.weight, classifier: try TextClassifier(directory: sub, options: memberOptions),
                                  maxLength: entry.maxLength))
        }
        let ensemble = try Ensemble(members: members)
        guard Set(config.labels) == Set(ensemble.labels) else {
            throw EnsembleError.invalid(file: file, detail: "labels differ from the members' labels")
        }
        return ensemble
    }

    /// The max length of the first encoder member (its recorded max_length, else its checkpoint's
    /// default), read without loading weights; 0 when every member is linear.
    public static func defaultMaxLength(directory: URL) throws -> Int {
        let config = try readConfig(directory)
        for entry in config.members {
            let sub = directory.appendingPathComponent(entry.directory)
            guard !LinearTextModel.isLinearModel(sub), !isEnsemble(sub), !entry.directory.contains("/") else { continue }
            return try entry.maxLength ?? TextClassifier.defaultMaxLength(directory: sub)
        }
        return 0
    }

    /// Writes ensemble.json into `directory` (the member subdirectories must already be there).
    public func saveConfig(to directory: URL, fittedOn: String?) throws {
        let config = EnsembleConfig(labels: labels, members: members.map { .init(directory: $0.directory, weight: $0.weight, maxLength: $0.maxLength) }, fittedOn: fittedOn)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(config), to: directory.appendingPathComponent(Self.configFile))
    }
}

extension EnsembleError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
