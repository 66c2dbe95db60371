// One model behind the server: the classifier, its batcher, its monitor and what training
// recorded about it (docket.json).
import Docket
import DocketBase
import Foundation
import Logging

/// A model to serve: a name for /models/NAME/... routes and a checkpoint directory.
public struct ModelSpec: Sendable, Equatable {
    public var name: String
    public var directory: String
    public init(name: String, directory: String) { self.name = name; self.directory = directory }

    /// `DIR` (name = the directory's last path component) or `NAME=DIR`.
    public static func parse(_ s: String) -> ModelSpec {
        if let eq = s.firstIndex(of: "="), !s[..<eq].contains("/"), eq != s.startIndex {
            return ModelSpec(name: String(s[..<eq]), directory: String(s[s.index(after: eq)...]))
        }
        let name = URL(fileURLWithPath: s).standardizedFileURL.lastPathComponent
        return ModelSpec(name: name.isEmpty ? "model" : name, directory: s)
    }
}

final class ServedModel: Sendable {
    let name: String
    let directory: String
    let classifier: TextClassifier
    let batcher: InferenceBatcher
    let monitor: ModelMonitor
    /// `--top-k` of the server: the default "top_k" of /v1/classify (nil = none listed).
    let defaultTopK: Int?
    let chunked: Bool

    init(spec: ModelSpec, classifier: TextClassifier, reference: TrainingReference, defaultTopK: Int?,
         options: ServerOptions, metrics: ServerMetrics) {
        name = spec.name
        directory = spec.directory
        self.classifier = classifier
        self.defaultTopK = defaultTopK
        if case .chunk = classifier.longDocuments { chunked = true } else { chunked = false }
        monitor = ModelMonitor(labels: classifier.labels, reference: reference,
                               settings: .init(window: options.monitorWindow, routingThreshold: options.routingThreshold,
                                               alertAccuracyDrop: options.alertAccuracyDrop, alertMinFeedback: options.alertMinFeedback))
        let name = spec.name
        batcher = InferenceBatcher(
            classifier: classifier,
            limits: .init(maxBatchTokens: options.maxBatchTokens, maxBatchRequests: options.maxBatchRequests,
                          batchSize: options.batchSize, workers: options.workers)
        ) { stats, preds in
            metrics.batch(model: name, documents: stats.documents, tokens: stats.tokens, seconds: stats.seconds)
            metrics.classified(model: name, labels: preds.map(\.label))
        }
    }

    /// GET /info: TEI's field names where TEI has them, plus Docket's.
    func infoJSON(version: String, options: ServerOptions) -> String {
        let c = classifier
        let id2label = c.labels.enumerated().map { "\"\($0)\":\(q($1))" }.joined(separator: ",")
        let label2id = c.labels.enumerated().map { "\(q($1)):\($0)" }.joined(separator: ",")
        let long: String
        switch c.longDocuments {
        case .truncate: long = "{\"mode\":\"truncate\"}"
        case let .chunk(stride, pooling): long = "{\"mode\":\"chunk\",\"stride\":\(stride),\"pooling\":\(q(pooling.rawValue))}"
        }
        let fields = [
            "\"model_id\":\(q(name))", "\"model_dir\":\(q(directory))",
            "\"model_type\":{\"classifier\":{\"id2label\":{\(id2label)},\"label2id\":{\(label2id)}}}",
            "\"labels\":[\(c.labels.map(q).joined(separator: ","))]",
            "\"max_input_length\":\(c.maxLength)", "\"long_documents\":\(long)",
            "\"precision\":\(q(c.options.precision.rawValue))",
            "\"engine\":\(q("docket (hand-written BERT encoder, \(c.options.precision.rawValue))"))",
            "\"architecture\":\(q(c.model.map(\.config.family.rawValue) ?? "linear_or_ensemble"))",
            "\"max_concurrent_requests\":\(options.maxConcurrentRequests)", "\"max_batch_tokens\":\(options.maxBatchTokens)",
            "\"max_batch_requests\":\(options.maxBatchRequests)", "\"max_client_batch_size\":\(options.maxClientBatchSize)",
            "\"auto_truncate\":\(options.autoTruncate)", "\"workers\":\(options.workers)",
            "\"version\":\(q(version))",
        ]
        return "{" + fields.joined(separator: ",") + "}"
    }

    private func q(_ s: String) -> String { JSONParser.quote(s) }
}
