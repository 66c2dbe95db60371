// The library API for services: load a classifier directory once, then classify single texts
// or batches from any number of concurrent tasks (DESIGN.md §1, §7).
//
//   let classifier = try TextClassifier(directory: URL(fileURLWithPath: "model"))
//   let p = try classifier.classify("This Agreement is entered into ...")
//   print(p.label, p.score, p.topK)
//
// Thread safety: the model and tokenizer are immutable; each forward borrows a workspace
// from a small pool (`Options.concurrency`, default 1: concurrent callers queue and every
// forward gets both cores through OpenBLAS — see docs/io.md for the measurement).
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
    /// Probability of every label.
    public let probabilities: [String: Float]
    /// Logits in label-id order (for chunked documents: pooled like the probabilities).
    public let logits: [Float]
    /// The `k` most probable labels, best first (k = `Options.topK`, at least 1).
    public let topK: [LabelScore]
    /// Number of windows the document was split into (1 unless chunked).
    public let windows: Int
}

public final class TextClassifier: Sendable {
    public struct Options: Sendable {
        /// Longest sequence fed to the model (special tokens included); nil = the smaller of
        /// max_position_embeddings and the tokenizer's model_max_length.
        public var maxLength: Int?
        public var longDocuments: LongDocumentMode = .truncate
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
        public init(maxLength: Int? = nil, longDocuments: LongDocumentMode = .truncate, concurrency: Int = 1, topK: Int = 1,
                    precision: InferencePrecision = .fp32) {
            self.maxLength = maxLength; self.longDocuments = longDocuments
            self.concurrency = concurrency; self.topK = topK; self.precision = precision
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
    /// The effective maximum sequence length of the encoder (of an ensemble's first encoder
    /// member); 0 for a linear model, which reads whole texts.
    public let maxLength: Int
    /// Messages from loading (e.g. a classification head that had to be created).
    public let notices: [String]
    let pool: WorkspacePool?

    /// The encoder (nil for linear models and ensembles).
    public var model: EncoderModel? { if case let .encoder(m, _) = backend { return m }; return nil }
    /// The encoder's tokenizer (nil for linear models and ensembles).
    public var tokenizer: Tokenizer? { if case let .encoder(_, t) = backend { return t }; return nil }
    /// The precision the encoder (an ensemble's first encoder member) runs in; fp32 for a linear model.
    public var precision: InferencePrecision {
        switch backend {
        case let .encoder(m, _): return m.inferencePrecision
        case .linear: return .fp32
        case let .ensemble(e): return e.members.lazy.map(\.classifier.precision).first { $0 != .fp32 } ?? .fp32
        }
    }

    /// Loads a model directory: an ensemble (ensemble.json), a linear model
    /// (linear_model.json) or an encoder checkpoint (config.json + model.safetensors and the
    /// tokenizer: tokenizer.json, vocab.txt or a SentencePiece .model).
    public convenience init(directory: URL, options: Options = .init()) throws {
        if Ensemble.isEnsemble(directory) {
            try self.init(ensemble: try Ensemble.load(directory: directory, options: options), options: options)
        } else if LinearTextModel.isLinearModel(directory) {
            try self.init(linear: try LinearTextModel.load(directory: directory), options: options)
        } else {
            let (model, notices) = try EncoderModel.load(directory: directory)
            let tokenizer = try Tokenizer.load(from: directory)
            try self.init(model: model, tokenizer: tokenizer, options: options, notices: notices, directory: directory.path)
        }
    }

    /// Wraps an in-memory model and tokenizer (e.g. right after fine-tuning). With
    /// `options.precision` `.bf16` or `.int8`, `model` itself is left as it is: the classifier
    /// keeps a bf16 / int8 copy of its block linears (made now: retraining `model` later does
    /// not reach it).
    public init(model: EncoderModel, tokenizer: Tokenizer, options: Options = .init(), notices: [String] = [],
                directory: String = "<memory>") throws {
        guard tokenizer.vocabSize <= model.config.vocabSize else {
            throw ClassifierError.tokenizerMismatch(directory: directory, detail:
                "tokenizer has \(tokenizer.vocabSize) tokens, the model's embeddings \(model.config.vocabSize)")
        }
        let limit = min(model.config.maxPositions, tokenizer.modelMaxLength ?? Int.max)
        let maxLength = options.maxLength ?? min(limit, 512)
        guard maxLength >= 3, maxLength <= model.config.maxPositions else {
            throw ClassifierError.invalidArgument("max length \(maxLength) must be in 3...\(model.config.maxPositions) (max_position_embeddings)")
        }
        try Self.check(options)
        if case let .chunk(stride, _) = options.longDocuments, stride < 0 || stride >= maxLength - 3 {
            throw ClassifierError.invalidArgument("stride \(stride) must be in 0..<\(maxLength - 3) (max length minus the special tokens)")
        }
        let model = try Self.prepare(model, precision: options.precision)
        self.backend = .encoder(model, tokenizer); self.options = options
        self.labels = model.config.labels; self.maxLength = maxLength; self.notices = notices
        pool = WorkspacePool(model: model, capacity: options.concurrency)
    }

    /// Wraps a linear model (options other than `topK` do not apply to it).
    public init(linear: LinearTextModel, options: Options = .init()) throws {
        try Self.check(options)
        backend = .linear(linear); self.options = options; labels = linear.labels
        maxLength = 0; notices = []; pool = nil
    }

    /// Wraps an ensemble (its members were loaded with their own options).
    public init(ensemble: Ensemble, options: Options = .init()) throws {
        try Self.check(options)
        backend = .ensemble(ensemble); self.options = options; labels = ensemble.labels
        maxLength = ensemble.members.lazy.map(\.classifier.maxLength).first { $0 > 0 } ?? 0
        notices = ensemble.members.flatMap(\.classifier.notices); pool = nil
    }

    private static func check(_ options: Options) throws {
        guard options.concurrency >= 1 else { throw ClassifierError.invalidArgument("concurrency must be at least 1") }
        guard options.topK >= 1 else { throw ClassifierError.invalidArgument("top-k must be at least 1") }
    }

    private static func prepare(_ model: EncoderModel, precision: InferencePrecision) throws -> EncoderModel {
        do { return try model.preparedForInference(precision: precision) } catch let error as KernelsError {
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
            let logits = try runBatches(sequences, batchSize: batchSize, model: model, padId: tokenizer.padId, progress: progress)
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
