// Fine-tuning from code (and for `docket finetune`): read labelled data → choose the label
// set → load or create the model and tokenizer → tokenize → train → write the checkpoint.
//
// Output directory layout:
//   config.json, model.safetensors, tokenizer files   the best checkpoint by the dev metric
//                                                     (the final one without a dev set), HF format
//                                                     (multi-label: problem_type and the per-label
//                                                     docket_decision_thresholds tuned on dev in config.json)
//   docket.json                                       CheckpointMetadata: the training max length
//                                                     (inference default), Docket's version, the
//                                                     training label counts and the dev accuracy
//                                                     (serving monitors drift and accuracy against them)
//   dev_predictions.jsonl                             the best checkpoint's dev predictions: one line
//                                                     per dev example {"line","label","predicted","logits"}
//                                                     (multi-label: "labels" and "predicted" are lists)
//   checkpoint-<step>/                                with --save-total-limit: HF checkpoints at save steps
//   training_log.jsonl                                per-step and per-epoch log (unless --log)
//   training_state/                                   everything --resume needs
import Encoder
import Foundation
import Tokenizers
import Training

/// Where fine-tuning starts.
public enum FineTuneStart: Sendable {
    /// An HF checkpoint directory (config.json, model.safetensors, tokenizer files).
    case checkpoint(URL)
    /// A fresh randomly initialised model from a config.json and a tokenizer (vocab.txt,
    /// tokenizer.json, a SentencePiece .model, or a directory holding one).
    case config(URL, tokenizer: URL)
}

public struct FineTuneRequest: Sendable {
    /// The max length when none is given (capped by max_position_embeddings).
    public static let defaultMaxLength = 128
    public var start: FineTuneStart
    public var trainPath: String
    public var devPath: String?
    public var outputDirectory: URL
    public var options: TrainingOptions
    /// Tokens per example, special tokens included. nil = 128 capped by the model's
    /// max_position_embeddings; an explicit length above max_position_embeddings is an error
    /// (as for classify).
    public var maxLength: Int?
    /// Overrides every dropout probability of the model (0 turns dropout off).
    public var dropout: Float?
    /// What backward rebuilds instead of keeping per layer: less memory, more compute,
    /// identical results (`--recompute`; default .all).
    public var recompute: ActivationRecompute = .all
    /// The classification head's token pooling (`--pooling`); nil keeps the checkpoint's
    /// (config.json `docket_pooling`, cls when absent). Recorded in the output's config.json.
    public var pooling: HeadPooling?
    /// `.chunk(stride:pooling:)` trains on every window of long documents with the document's
    /// label, pooling window probabilities per document as classify's chunk mode does (the loss,
    /// dev metrics and best checkpoint are per document); recorded in docket.json as the
    /// inference default. `.truncate` (default) keeps the first `maxLength` tokens.
    public var longDocuments: LongDocumentMode = .truncate
    /// The JSONL training log; default `outputDirectory/training_log.jsonl`.
    public var logPath: URL?
    public var resume: Bool
    /// Replace what an earlier run left in `outputDirectory` (else a non-empty directory is
    /// refused unless `resume`).
    public var overwriteOutput = false
    /// Stops right after this optimizer step with the state saved, as if the process had been
    /// killed there (tests and tools; nil = run to the end).
    public var stopAfterStep: Int?
    /// The ranks of a data-parallel run (`docket finetune` under mpirun); one process by default.
    /// Rank 0 alone writes the output directory.
    public var collective: Collective = SingleProcess()

    public init(start: FineTuneStart, trainPath: String, devPath: String? = nil, outputDirectory: URL,
                options: TrainingOptions = TrainingOptions(), maxLength: Int? = nil, dropout: Float? = nil,
                logPath: URL? = nil, resume: Bool = false) {
        self.start = start; self.trainPath = trainPath; self.devPath = devPath
        self.outputDirectory = outputDirectory; self.options = options; self.maxLength = maxLength
        self.dropout = dropout; self.logPath = logPath; self.resume = resume
    }

    /// The same request with every location a URL, like the rest of the library API
    /// (`TextClassifier(directory:)`, `outputDirectory`, `logPath`).
    public init(start: FineTuneStart, train: URL, dev: URL? = nil, outputDirectory: URL,
                options: TrainingOptions = TrainingOptions(), maxLength: Int = 128, dropout: Float? = nil,
                logPath: URL? = nil, resume: Bool = false) {
        self.init(start: start, trainPath: train.path, devPath: dev?.path, outputDirectory: outputDirectory, options: options,
                  maxLength: maxLength, dropout: dropout, logPath: logPath, resume: resume)
    }

    /// The training data as a URL.
    public var train: URL { URL(fileURLWithPath: trainPath) }
    /// The dev data as a URL.
    public var dev: URL? { devPath.map { URL(fileURLWithPath: $0) } }
}

public struct FineTuneResult: Sendable {
    public let labels: [String]
    /// Things the user should know (a new classification head, created tensors, …).
    public let notices: [String]
    public let summary: TrainingSummary
    public let outputDirectory: URL
    /// Multi-label when the training data had "labels" lists.
    public let problemType: ProblemType
}

public enum FineTuner {
    /// Runs a whole fine-tuning job; errors name the file (and line) at fault.
    public static func run(_ request: FineTuneRequest,
                           progress: ((TrainingProgress) -> Void)? = nil) throws -> FineTuneResult {
        try request.options.validate()
        if let m = request.maxLength, m < 2 { throw TrainingError.invalidArgument("--max-length must be at least 2") }
        if let p = request.dropout, !(0..<1).contains(p) { throw TrainingError.invalidArgument("--dropout must be in [0, 1)") }

        let (trainRaw, trainSkipped) = try LabeledExample.loadReportingSkips(from: request.trainPath)
        let dataLabels = LabeledExample.labelSet(trainRaw)
        // The data decides the problem type: "labels" lists → multi-label, "label" → single-label.
        let problemType: ProblemType = trainRaw[0].isMultiLabel ? .multiLabel : .singleLabel
        var options = request.options
        options.problemType = problemType
        var setup = try FineTuneSetup.prepare(request, dataLabels: dataLabels, problemType: problemType)
        // After the checkpoint/config is read (its own errors come first): one class is no classifier.
        guard dataLabels.count >= 2 else {
            throw TrainingError.data(file: request.trainPath, line: nil, message: "every example has the label '\(dataLabels.first ?? "")': "
                + "a classifier needs at least two classes (a one-label model would always answer it with score 1.0)")
        }
        let devLoaded = try request.devPath.map { try LabeledExample.loadReportingSkips(from: $0, labels: Set(setup.labels)) }
        let devRaw = devLoaded?.examples
        setup.notices += [trainSkipped, devLoaded?.skipped].compactMap { $0 }
        if let devRaw, let path = request.devPath, devRaw[0].isMultiLabel != trainRaw[0].isMultiLabel {
            throw TrainingError.data(file: path, line: devRaw[0].line, message: problemType == .multiLabel
                ? "the training data is multi-label (\"labels\" lists): the dev data needs \"labels\" lists too"
                : "the training data is single-label (\"label\"): the dev data needs \"label\" too")
        }
        let positions = setup.model.config.maxPositions
        if let m = request.maxLength, m > positions {
            throw TrainingError.invalidArgument("--max-length \(m) is above the model's max_position_embeddings (\(positions))")
        }
        let maxLength = request.maxLength ?? min(FineTuneRequest.defaultMaxLength, positions)
        var stride: Int?
        if case let .chunk(s, pooling) = request.longDocuments {
            guard problemType == .singleLabel else {
                throw TrainingError.invalidArgument("--long-documents chunk trains single-label models only (the training data has \"labels\" lists)")
            }
            guard s >= 0, s < maxLength - 3 else {
                throw TrainingError.invalidArgument("--stride \(s) must be in 0..<\(maxLength - 3) (max length minus the special tokens)")
            }
            stride = s
            options.windowPooling = pooling == .max ? .max : .mean
        }
        let train = try FineTuneSetup.tokenize(trainRaw, setup: setup, maxLength: maxLength, file: request.trainPath, stride: stride)
        let dev = try devRaw.map { try FineTuneSetup.tokenize($0, setup: setup, maxLength: maxLength, file: request.devPath!, stride: stride) }
        if stride != nil {
            setup.notices.append("chunked training: \(trainRaw.count) documents → \(train.count) windows of up to \(maxLength) tokens (stride \(stride!))")
        }

        let out = request.outputDirectory
        if case .checkpoint(let start) = request.start, start.standardizedFileURL == out.standardizedFileURL, !request.resume {
            throw TrainingError.invalidArgument("\(out.path): the output directory is the starting checkpoint; choose another --output")
        }
        let lock = request.collective.isRoot ? try FineTuneOutput.lock(out) : nil  // one run per output directory
        defer { withExtendedLifetime(lock) {} }
        if request.collective.isRoot {  // rank 0 alone touches the output directory
            try FineTuneOutput.prepare(out, resume: request.resume, overwrite: request.overwriteOutput)
        }
        let trainable = EncoderTrainable(model: setup.model, recompute: request.recompute)
        let trainer = try Trainer(model: trainable, options: options, labels: setup.labels, train: train, dev: dev,
                                  stateDirectory: out.appendingPathComponent("training_state"),
                                  logURL: request.logPath ?? out.appendingPathComponent("training_log.jsonl"))
        trainer.onProgress = progress
        trainer.stopAfterStep = request.stopAfterStep
        trainer.collective = request.collective
        let model = setup.model, tokenizerSource = setup.tokenizerSource
        let devLines = devRaw?.map(\.line), devGold = devRaw?.map(\.label) ?? [], labels = setup.labels
        let devMultiGold = devRaw?.compactMap(\.labels), devIds = dev?.map { $0.multiLabels ?? [] } ?? []
        var metadata = CheckpointMetadata(maxLength: maxLength, longDocuments: "truncate")
        if let stride, let pooling = options.windowPooling {
            metadata = CheckpointMetadata(maxLength: maxLength, longDocuments: "chunk", stride: stride, windowPooling: pooling.rawValue)
        }
        // What serving monitors against: training examples per label (multi-label: examples
        // carrying it) and, below, the saved checkpoint's dev accuracy (single-label only).
        metadata.trainLabelCounts = labels.map { l in
            .init(label: l, count: trainRaw.lazy.filter { ($0.labels ?? [$0.label]).contains(l) }.count)
        }
        trainer.onCheckpoint = { [metadata] evaluation in
            var metadata = metadata
            // Multi-label: per-label thresholds tuned on the dev set for this checkpoint, saved in
            // its config.json (docket_decision_thresholds); its dev predictions use them.
            var evaluation = evaluation, config: ModelConfig?
            if problemType == .multiLabel, let e = evaluation {
                let probs = e.logits.map { $0.map { 1 / (1 + Foundation.exp(-$0)) } }
                var c = model.config
                let thresholds = DecisionThresholds.tune(probabilities: probs, gold: devIds, classes: labels.count)
                c.decisionThresholds = thresholds
                config = c
                evaluation = try e.withThresholds(thresholds, gold: devIds)
            }
            if problemType == .singleLabel { metadata.evalAccuracy = evaluation?.accuracy }
            try CheckpointWriter.write(model: model, tokenizerSource: tokenizerSource, config: config, metadata: metadata, to: out)
            if let evaluation, let devLines {
                try CheckpointWriter.writePredictions(evaluation, lines: devLines, gold: devGold, labels: labels,
                                                      multiGold: devMultiGold, to: out.appendingPathComponent("dev_predictions.jsonl"))
            }
        }
        if options.saveTotalLimit != nil, let limit = options.saveTotalLimit {
            trainer.onStepCheckpoint = { step, best in
                try CheckpointWriter.writeStepCheckpoint(model: model, tokenizerSource: tokenizerSource, metadata: metadata, step: step,
                                                         bestStep: best, limit: limit, in: out)
            }
        }
        let summary = try trainer.run(resume: request.resume)
        let patience = request.options.earlyStoppingPatience ?? 0
        let unit = request.options.evalSteps == nil ? "epoch" : "evaluation"
        setup.notices += summary.stoppedEarly ? ["stopped early: no improvement for \(patience) \(unit)\(patience == 1 ? "" : "s")"] : []
        return FineTuneResult(labels: setup.labels, notices: setup.notices, summary: summary, outputDirectory: out,
                              problemType: problemType)
    }
}
