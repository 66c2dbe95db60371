// The library API for services: load a classifier directory once, then classify single texts
// or batches from any number of concurrent tasks (DESIGN.md §1, §7).
//
//   let classifier = try TextClassifier(directory: URL(fileURLWithPath: "model"))
//   let p = try classifier.classify("This Agreement is entered into ...")
//   print(p.label, p.score, p.topK)
//
// Thread safety: the model and tokenizer are immutable; each forward borrows a workspace
// from a small pool (`Options.concurrency`, default 1: concurrent callers queue and every
// forward splits its products over both cores — see docs/io.md for the measurement).
import Encoder
import Foundation
import Kernels
import Tokenizers

/// How documents longer than `maxLength` tokens are handled.
public enum LongDocumentMode: Sendable, Equatable {
    /// Keep the first `maxLength` tokens (special tokens included), as HF pipelines do.
    case truncate
    /// Overlapping windows of `maxLength` tokens sharing `stride` tokens with the previous one
    /// (HF `return_overflowing_tokens`, `stride`); window probabilities are pooled.
    case chunk(stride: Int, pooling: Pooling)

    public enum Pooling: String, Sendable { case mean, max }
}

/// A label with its probability.
public struct LabelScore: Equatable, Sendable {
    public let label: String
    public let score: Float
}

/// The classification of one document.
public struct Prediction: Equatable, Sendable {
    /// The most probable label and its probability.
    public let label: String
    public let score: Float
    /// Multi-label models: every label whose probability is above its decision threshold, most
    /// probable first (possibly none). Single-label models: `[label]`.
    public let labels: [String]
    /// Probability of every label (single-label: softmax, summing to 1; multi-label: an
    /// independent sigmoid per label).
    public let probabilities: [String: Float]
    /// Logits in label-id order (for chunked documents: pooled like the probabilities).
    public let logits: [Float]
    /// The `k` most probable labels, best first (k = `Options.topK`, at least 1).
    public let topK: [LabelScore]
    /// Number of windows the document was split into (1 unless chunked).
    public let windows: Int

    /// `labels` defaults to `[label]` (single-label).
    public init(label: String, score: Float, labels: [String]? = nil, probabilities: [String: Float], logits: [Float],
                topK: [LabelScore], windows: Int) {
        self.label = label; self.score = score; self.labels = labels ?? [label]; self.probabilities = probabilities
        self.logits = logits; self.topK = topK; self.windows = windows
    }
}

public final class TextClassifier: Sendable {
    public struct Options: Sendable {
        /// Longest sequence fed to the model (special tokens included); nil = the training max
        /// length recorded in the checkpoint's docket.json, else the smaller of
        /// max_position_embeddings, the tokenizer's model_max_length and 512.
        public var maxLength: Int?
        /// nil = the mode recorded in docket.json, else `.truncate`.
        public var longDocuments: LongDocumentMode?
        /// How many forwards may run at once (one workspace each).
        public var concurrency = 1
        /// How many labels `Prediction.topK` lists.
        public var topK = 1
        /// Inference precision: `.fp32` (default), `.bf16` (CPUs with AVX512_BF16: the
        /// encoder's block linears in bf16 with FP32 accumulation) or `.int8` (CPUs with
        /// AVX512_VNNI: those linears with int8 weights per channel and int8 activations per
        /// token, int32 accumulation); see docs/encoder.md for the accuracy cost. Loading
        /// throws `ClassifierError.precisionUnavailable` when the CPU cannot run it.
        public var precision: InferencePrecision = .fp32
        /// Loading a checkpoint without its classification head (a bare BertModel) is an error
        /// unless this is set: the head would be random and every prediction meaningless.
        public var allowMissingHead = false
        /// Multi-label models: decision thresholds in label-id order, overriding the checkpoint's
        /// (config.json `docket_decision_thresholds`, else 0.5 each).
        public var decisionThresholds: [Float]?
        public init(maxLength: Int? = nil, longDocuments: LongDocumentMode? = nil, concurrency: Int = 1, topK: Int = 1,
                    precision: InferencePrecision = .fp32, decisionThresholds: [Float]? = nil) {
            self.maxLength = maxLength; self.longDocuments = longDocuments
            self.concurrency = concurrency; self.topK = topK; self.precision = precision
            self.decisionThresholds = decisionThresholds
        }
    }

    /// What scores the documents.
    public enum Backend: Sendable {
        /// A transformer encoder with its tokenizer (config.json + model.safetensors).
        case encoder(EncoderModel, Tokenizer)
        /// TF-IDF + logistic regression (linear_model.json + linear_model.safetensors).
        case linear(LinearTextModel)
        /// Several classifiers whose probabilities are pooled (ensemble.json + member directories).
        case ensemble(Ensemble)
    }

    public let backend: Backend
    public let options: Options
    /// Labels in id order (config.json id2label; linear_model.json / ensemble.json labels).
    public let labels: [String]
    /// config.json `problem_type` (unset = single-label). Multi-label: sigmoid per label and
    /// every label above its threshold; anything else was refused when the config was read.
    public let problemType: ProblemType
    /// Multi-label decision thresholds in label-id order (0.5 each unless the checkpoint or
    /// `Options.decisionThresholds` give them).
    public let decisionThresholds: [Float]
    /// The effective maximum sequence length of the encoder (of an ensemble's first encoder
    /// member); 0 for a linear model, which reads whole texts.
    public let maxLength: Int
    /// The effective long-document mode.
    public let longDocuments: LongDocumentMode
    /// The checkpoint's docket.json (nil for checkpoints without one and in-memory models).
    public let metadata: CheckpointMetadata?
    /// Messages from loading (e.g. a classification head that had to be created).
    public let notices: [String]
    let pool: WorkspacePool?

    /// The encoder (nil for linear models and ensembles).
    public var model: EncoderModel? { if case let .encoder(m, _) = backend { return m }; return nil }
    /// The encoder's tokenizer (nil for linear models and ensembles).
    public var tokenizer: Tokenizer? { if case let .encoder(_, t) = backend { return t }; return nil }
    /// The precision the encoder (an ensemble's first non-fp32 member) runs in; fp32 for a linear model.
    public var precision: InferencePrecision {
        switch backend {
        case let .encoder(m, _): return m.inferencePrecision
        case .linear: return .fp32
        case let .ensemble(e): return e.members.lazy.map(\.classifier.precision).first { $0 != .fp32 } ?? .fp32
        }
    }

    /// Loads a model directory: an ensemble (ensemble.json), a linear model
    /// (linear_model.json) or an encoder checkpoint (config.json + model.safetensors, the
    /// tokenizer — tokenizer.json, vocab.txt or a SentencePiece .model — and docket.json when present).
    public convenience init(directory: URL, options: Options = .init()) throws {
        if Ensemble.isEnsemble(directory) {
            try self.init(ensemble: try Ensemble.load(directory: directory, options: options), options: options)
        } else if LinearTextModel.isLinearModel(directory) {
            try self.init(linear: try LinearTextModel.load(directory: directory), options: options)
        } else {
            let (model, notices) = try EncoderModel.load(directory: directory)
            if !notices.isEmpty && !options.allowMissingHead {
                throw ClassifierError.missingHead(directory: directory.path, detail: notices.joined(separator: "; "))
            }
            let tokenizer = try Tokenizer.load(from: directory)
            let metadata = try CheckpointMetadata.load(directory: directory)
            // The classifier owns this model: at bf16 / int8 its packed block linears replace the FP32 ones for good.
            try self.init(model: model, tokenizer: tokenizer, options: options, notices: notices, directory: directory.path,
                          metadata: metadata, releasingFP32Weights: true)
        }
    }

    /// Wraps an in-memory model and tokenizer (e.g. right after fine-tuning). With
    /// `options.precision` `.bf16` or `.int8`, `model` itself is left as it is: the classifier
    /// keeps a bf16 / int8 copy of its block linears (made now: retraining `model` later does
    /// not reach it). (A classifier loaded with `init(directory:)` owns its model and keeps
    /// only that copy: its `model` is inference-only, see `EncoderModel.isInferenceOnly`.)
    /// `metadata` (a checkpoint's docket.json) supplies the max length and long-document mode
    /// that `options` leaves nil.
    public convenience init(model: EncoderModel, tokenizer: Tokenizer, options: Options = .init(), notices: [String] = [],
                            directory: String = "<memory>", metadata: CheckpointMetadata? = nil) throws {
        try self.init(model: model, tokenizer: tokenizer, options: options, notices: notices, directory: directory,
                      metadata: metadata, releasingFP32Weights: false)
    }

    /// `releasingFP32Weights`: the caller hands over its only reference to `model`, which is
    /// used for inference only (EncoderModel.preparedForInference(precision:releasingFP32Weights:)).
    init(model: EncoderModel, tokenizer: Tokenizer, options: Options, notices: [String], directory: String,
         metadata: CheckpointMetadata?, releasingFP32Weights: Bool) throws {
        guard tokenizer.vocabSize <= model.config.vocabSize else {
            throw ClassifierError.tokenizerMismatch(directory: directory, detail:
                "tokenizer has \(tokenizer.vocabSize) tokens, the model's embeddings \(model.config.vocabSize)")
        }
        let maxLength = options.maxLength ?? Self.defaultMaxLength(config: model.config, tokenizer: tokenizer, metadata: metadata)
        guard maxLength >= 3, maxLength <= model.config.maxPositions else {
            throw ClassifierError.invalidArgument("max length \(maxLength) must be in 3...\(model.config.maxPositions) (max_position_embeddings)")
        }
        try Self.check(options)
        let longDocuments = options.longDocuments ?? metadata?.longDocumentMode(maxLength: maxLength) ?? .truncate
        if case let .chunk(stride, _) = longDocuments, stride < 0 || stride >= maxLength - 3 {
            throw ClassifierError.invalidArgument("stride \(stride) must be in 0..<\(maxLength - 3) (max length minus the special tokens)")
        }
        let thresholds = options.decisionThresholds ?? model.config.decisionThresholds
            ?? [Float](repeating: 0.5, count: model.config.numLabels)
        guard thresholds.count == model.config.numLabels, thresholds.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw ClassifierError.invalidArgument("decision thresholds must be \(model.config.numLabels) values in [0, 1]")
        }
        let model = try Self.prepare(model, precision: options.precision, releasingFP32Weights: releasingFP32Weights)
        self.backend = .encoder(model, tokenizer); self.options = options
        self.labels = model.config.labels; self.maxLength = maxLength; self.notices = notices
        self.problemType = model.config.problemType ?? .singleLabel; self.decisionThresholds = thresholds
        self.longDocuments = longDocuments; self.metadata = metadata
        pool = WorkspacePool(model: model, capacity: options.concurrency)
    }

    /// Wraps a linear model (options other than `topK` do not apply to it).
    public init(linear: LinearTextModel, options: Options = .init()) throws {
        try Self.check(options)
        backend = .linear(linear); self.options = options; labels = linear.labels
        maxLength = 0; notices = []; pool = nil
        problemType = .singleLabel; decisionThresholds = []; longDocuments = .truncate; metadata = nil
    }

    /// Wraps an ensemble (its members were loaded with their own options).
    public init(ensemble: Ensemble, options: Options = .init()) throws {
        try Self.check(options)
        backend = .ensemble(ensemble); self.options = options; labels = ensemble.labels
        let encoder = ensemble.members.first { $0.classifier.model != nil }?.classifier
        maxLength = encoder?.maxLength ?? 0; longDocuments = encoder?.longDocuments ?? .truncate
        notices = ensemble.members.flatMap(\.classifier.notices); pool = nil
        problemType = .singleLabel; decisionThresholds = []; metadata = nil
    }

    private static func check(_ options: Options) throws {
        guard (1...Self.maxConcurrency).contains(options.concurrency) else {
            throw ClassifierError.invalidArgument("concurrency must be in 1...\(Self.maxConcurrency), got \(options.concurrency)")
        }
        guard options.topK >= 1 else { throw ClassifierError.invalidArgument("top-k must be at least 1") }
    }

    /// Most concurrent forwards (`--workers`): each holds a workspace.
    public static let maxConcurrency = 256

    /// The max length used when `Options.maxLength` is nil: docket.json's training max length,
    /// else the smaller of max_position_embeddings, the tokenizer's model_max_length and 512.
    public static func defaultMaxLength(config: ModelConfig, tokenizer: Tokenizer, metadata: CheckpointMetadata?) -> Int {
        if let recorded = metadata?.maxLength { return min(recorded, config.maxPositions) }
        return min(config.maxPositions, tokenizer.modelMaxLength ?? Int.max, 512)
    }

    /// `defaultMaxLength` of a checkpoint directory, read without loading the weights (an
    /// ensemble: of its first encoder member, at its recorded max length; a linear model: 0).
    public static func defaultMaxLength(directory: URL) throws -> Int {
        if Ensemble.isEnsemble(directory) { return try Ensemble.defaultMaxLength(directory: directory) }
        if LinearTextModel.isLinearModel(directory) { return 0 }
        let config = try ModelConfig.load(from: directory.appendingPathComponent("config.json"))
        return defaultMaxLength(config: config, tokenizer: try Tokenizer.load(from: directory),
                                metadata: try CheckpointMetadata.load(directory: directory))
    }

    private static func prepare(_ model: EncoderModel, precision: InferencePrecision,
                                releasingFP32Weights: Bool) throws -> EncoderModel {
        do {
            return try model.preparedForInference(precision: precision, releasingFP32Weights: releasingFP32Weights)
        } catch let error as KernelsError {
            guard case .unsupportedCPU = error else { throw error }
            throw ClassifierError.precisionUnavailable(precision: precision.rawValue, reason: error.description)
        }
    }

    /// Classifies one text (optionally with a second segment, e.g. for NLI-style models).
    public func classify(_ text: String, pair: String? = nil) throws -> Prediction {
        try classify([text], pairs: pair.map { [$0] }, batchSize: 1)[0]
    }

    /// Classifies many texts; results come back in input order. Texts are sorted into length
    /// buckets and each batch is padded only to its longest sequence.
    /// - Parameter progress: called after each batch with (sequences done, total sequences).
    public func classify(_ texts: [String], pairs: [String?]? = nil, batchSize: Int = 32,
                         progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [Prediction] {
        guard batchSize >= 1 else { throw ClassifierError.invalidArgument("batch size must be at least 1") }
        if let pairs, pairs.count != texts.count {
            throw ClassifierError.invalidArgument("\(texts.count) texts but \(pairs.count) pairs")
        }
        switch backend {
        case let .encoder(model, tokenizer):
            let sequences = try encode(texts, pairs: pairs, tokenizer: tokenizer)
            let logits = try runBatches(sequences, batchSize: batchSize, model: model, padId: Int32(tokenizer.padId), progress: progress)
            return predictions(sequences: sequences, logits: logits, documents: texts.count)
        case let .linear(linear):
            if pairs?.contains(where: { $0 != nil }) == true {
                throw ClassifierError.invalidArgument("a linear model classifies single texts, not text pairs")
            }
            let logits = linear.logits(texts)
            progress?(texts.count, texts.count)
            return logits.map { prediction(probabilities: softmax($0), logits: $0, windows: 1) }
        case let .ensemble(ensemble):
            return try ensemble.classify(texts, pairs: pairs, batchSize: batchSize, progress: progress).map {
                prediction(probabilities: $0.probabilities, logits: $0.probabilities.map { Float(log(max($0, 1e-30))) }, windows: $0.windows)
            }
        }
    }
}
