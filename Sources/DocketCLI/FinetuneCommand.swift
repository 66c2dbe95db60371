// `docket finetune`: flags → FineTuneRequest; progress on stderr only when it is a terminal.
import ArgumentParser
import Docket
import Foundation

struct FinetuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finetune", abstract: "Fine-tune a classifier on labelled JSONL/CSV.")

    @Option(help: "Checkpoint directory to start from.") var model: String?
    @Option(help: "config.json for a fresh model (with --tokenizer).") var config: String?
    @Option(help: "Tokenizer for --config: vocab.txt, tokenizer.json, .model or a directory.") var tokenizer: String?
    @Option(help: "Training data (JSONL/CSV with text and label, or class folders).") var train: String
    @Option(help: "Dev data evaluated each epoch.") var dev: String?
    @Option(help: "Output checkpoint directory.") var output: String
    @Option(help: "Epochs.") var epochs: Int = 3
    @Option(help: "Stop after this many optimizer steps.") var maxSteps: Int?
    @Option(help: "Sequences per batch.") var batchSize: Int = 16
    @Option(help: "Peak learning rate.") var learningRate: Double = 5e-5
    @Option(help: "AdamW weight decay (not on biases and LayerNorm).") var weightDecay: Double = 0.01
    @Option(help: "Linear warmup steps.") var warmupSteps: Int?
    @Option(help: "Linear warmup as a fraction of all steps.") var warmupRatio: Double?
    @Option(help: "linear (decay to 0), cosine (half a cosine to 0) or constant, after the warmup.") var schedule: String = "linear"
    @Option(help: "Same as --schedule (Hugging Face's spelling).") var lrScheduler: String?
    @Option(help: "Micro-batches of --batch-size per optimizer step (one step = one batch of all of them).")
    var gradientAccumulationSteps: Int = 1
    @Option(help: "Evaluate on --dev every N optimizer steps (and at the last) instead of at each epoch end.") var evalSteps: Int?
    @Option(help: "Also write checkpoint-STEP directories at each save step, keeping the newest N (and the best).")
    var saveTotalLimit: Int?
    @Option(help: "Global gradient-norm clipping (0 = off).") var gradClip: Double = 1.0
    @Option(help: "Tokens per example, special tokens included (default: 128, at most the model's max_position_embeddings).") var maxLength: Int?
    @Option(help: "Set every dropout probability (0 = off).") var dropout: Float?
    @Option(help: "Seed (initialisation, data order, dropout).") var seed: UInt64 = 42
    @Flag(help: "Keep the file's order (consecutive batches).") var noShuffle = false
    @Option(help: "balanced or w1,w2,... in label-id order.") var classWeights: String?
    @Option(help: "Stop after N epochs without dev improvement.") var earlyStoppingPatience: Int?
    @Option(help: "Dev metric for the best checkpoint: macro_f1, accuracy or loss.") var metric: String = "macro_f1"
    @Option(help: "Save training state every N steps (and each epoch end).") var saveSteps: Int = 50
    @Option(help: "JSONL training log (default OUTPUT/training_log.jsonl).") var log: String?
    @Flag(help: "Continue an interrupted run from OUTPUT/training_state.") var resume = false
    @Flag(help: "Replace what an earlier run left in a non-empty --output directory.") var overwriteOutput = false
    @Option(help: "When stderr is not a terminal, print a progress line every N steps.") var loggingSteps: Int = 50
    @Option(help: "What backward rebuilds instead of keeping (same results either way): all (least memory, one more attention forward and FFN sgemm per layer), attention, or none (fastest, most memory).")
    var recompute: String = "all"
    @Option(help: "Classification-head pooling: cls (token 0, HF's head), mean or max over tokens (attention-masked); recorded in config.json. Default: the checkpoint's (cls).")
    var pooling: String?
    @Option(help: "Long documents: truncate, or chunk (train on every window with the document's label, window probabilities pooled per document as classify pools them; recorded as the checkpoint's inference default).")
    var longDocuments: String = "truncate"
    @Option(help: "Tokens shared by consecutive windows in chunk mode (default: a quarter of --max-length).") var stride: Int?
    @Option(help: "How chunk-mode window probabilities are pooled per document: mean or max.") var windowPooling: String?

    func validate() throws {
        guard (model == nil) != (config == nil) else { throw ValidationError("give exactly one of --model DIR or --config FILE") }
        if config != nil && tokenizer == nil { throw ValidationError("--config needs --tokenizer PATH") }
        if model != nil && tokenizer != nil { throw ValidationError("--tokenizer goes with --config (a checkpoint has its own)") }
        guard ActivationRecompute(rawValue: recompute) != nil else { throw ValidationError("--recompute must be none, attention or all") }
        if let pooling, HeadPooling(rawValue: pooling) == nil { throw ValidationError("--pooling must be cls, mean or max") }
        guard ScheduleKind(rawValue: scheduleName) != nil else { throw ValidationError("--schedule must be linear, cosine or constant") }
        if lrScheduler != nil && schedule != "linear" { throw ValidationError("give --schedule or --lr-scheduler, not both") }
        guard ["truncate", "chunk"].contains(longDocuments) else { throw ValidationError("--long-documents must be truncate or chunk") }
        if let windowPooling, LongDocumentMode.Pooling(rawValue: windowPooling) == nil {
            throw ValidationError("--window-pooling must be mean or max")
        }
        if (stride != nil || windowPooling != nil) && longDocuments != "chunk" {
            throw ValidationError("--stride and --window-pooling need --long-documents chunk")
        }
        if let stride, stride < 0 { throw ValidationError("--stride must not be negative") }
        guard ScheduleKind(rawValue: schedule) != nil else { throw ValidationError("--schedule must be linear or constant") }
        guard loggingSteps >= 1 else { throw ValidationError("--logging-steps must be at least 1") }
        try FlagLimits.check(epochs, "--epochs", FlagLimits.epochs)
        try FlagLimits.check(maxSteps, "--max-steps", FlagLimits.steps)
        try FlagLimits.check(batchSize, "--batch-size", FlagLimits.batchSize)
        try FlagLimits.check(warmupSteps, "--warmup-steps", FlagLimits.nonNegativeSteps)
        try FlagLimits.check(maxLength, "--max-length", FlagLimits.maxLength)
        try FlagLimits.check(earlyStoppingPatience, "--early-stopping-patience", FlagLimits.epochs)
        try FlagLimits.check(saveSteps, "--save-steps", FlagLimits.nonNegativeSteps)
        try FlagLimits.check(loggingSteps, "--logging-steps", FlagLimits.steps)
        guard SelectionMetric(rawValue: metric) != nil else { throw ValidationError("--metric must be macro_f1, micro_f1, accuracy or loss") }
        do { try options().validate() } catch { throw ValidationError("\(error)") }
    }

    func options() throws -> TrainingOptions {
        var o = TrainingOptions()
        o.epochs = epochs; o.maxSteps = maxSteps; o.batchSize = batchSize; o.learningRate = learningRate
        o.weightDecay = weightDecay; o.warmupSteps = warmupSteps; o.warmupRatio = warmupRatio
        o.schedule = ScheduleKind(rawValue: scheduleName) ?? .linear; o.gradClip = gradClip; o.seed = seed
        o.shuffle = !noShuffle; o.classWeights = try classWeights.map { try ClassWeightSpec(parsing: $0) }
        o.earlyStoppingPatience = earlyStoppingPatience; o.metric = SelectionMetric(rawValue: metric) ?? .macroF1
        o.saveSteps = saveSteps
        o.gradientAccumulationSteps = gradientAccumulationSteps; o.evalSteps = evalSteps; o.saveTotalLimit = saveTotalLimit
        return o
    }

    private var scheduleName: String { lrScheduler ?? schedule }

    func run() async throws {
        let start: FineTuneStart = model.map { .checkpoint(URL(fileURLWithPath: $0)) }
            ?? .config(URL(fileURLWithPath: config!), tokenizer: URL(fileURLWithPath: tokenizer!))
        var request = FineTuneRequest(start: start, trainPath: train, devPath: dev, outputDirectory: URL(fileURLWithPath: output),
                                      options: try options(), maxLength: maxLength, dropout: dropout,
                                      logPath: log.map { URL(fileURLWithPath: $0) }, resume: resume)
        request.recompute = ActivationRecompute(rawValue: recompute) ?? .all
        request.pooling = pooling.flatMap(HeadPooling.init(rawValue:))
        if longDocuments == "chunk" {
            request.longDocuments = .chunk(stride: stride ?? (maxLength ?? FineTuneRequest.defaultMaxLength) / 4,
                                           pooling: windowPooling.flatMap(LongDocumentMode.Pooling.init(rawValue:)) ?? .mean)
        }
        request.overwriteOutput = overwriteOutput
        let ranks = try Ranks.start()
        request.collective = ranks
        let renderer = ProgressRenderer(interval: .infinity)
        renderer.muted = !ranks.isRoot
        let progress = TrainingProgressView(renderer: renderer, loggingSteps: loggingSteps, evalEverySteps: evalSteps != nil)
        var result: FineTuneResult?
        do { try Ranks.run(ranks, command: "finetune") { result = try FineTuner.run(request, progress: { progress.report($0) }) } }
        catch { progress.finish(); throw CLIError("\(error)") }
        progress.finish()
        guard let result, ranks.isRoot else { return }
        for n in result.notices { FileHandle.standardError.write(Data("note: \(n)\n".utf8)) }
        let s = result.summary
        var line = "trained \(count(s.steps, "step")) (\(count(s.epochsCompleted, "epoch"))), labels: \(result.labels.joined(separator: ", "))"
        if let e = s.evaluations.last { line += "; last dev: " + devMetrics(e) }
        if let b = s.bestMetric, let be = s.bestEpoch { line += "; best \(metric) \(fixed(b)) (epoch \(be + 1))" }
        print(line)
        print("checkpoint: \(result.outputDirectory.path)")
    }
}

/// Four decimals.
private func fixed(_ x: Double) -> String { String(format: "%.4f", x) }

/// "loss …, accuracy …, macro-F1 …" (multi-label: subset accuracy, micro- and macro-F1 at thresholds 0.5).
private func devMetrics(_ e: EvaluationResult) -> String {
    if e.multiLabelMetrics != nil {
        return "loss \(fixed(e.loss)), subset accuracy \(fixed(e.accuracy)), micro-F1 \(fixed(e.microF1)), "
            + "macro-F1 \(fixed(e.macroF1)) (thresholds 0.5)"
    }
    return "loss \(fixed(e.loss)), accuracy \(fixed(e.accuracy)), macro-F1 \(fixed(e.macroF1))"
}


/// Fine-tuning progress through the shared renderer: a status line per step (piped: a plain
/// line every `loggingSteps` steps) and one permanent line per epoch (train loss, and the dev
/// metrics when there is a dev set).
final class TrainingProgressView: @unchecked Sendable {
    private let renderer: ProgressRenderer
    private let loggingSteps: Int
    private var epoch: Int?
    private var lossSum = 0.0, lossCount = 0
    private var last: TrainingProgress?

    /// With --eval-steps, dev evaluations are lines of their own ("step S dev…"), not epoch ends.
    private let evalEverySteps: Bool

    init(renderer: ProgressRenderer, loggingSteps: Int, evalEverySteps: Bool = false) {
        self.renderer = renderer; self.loggingSteps = max(1, loggingSteps); self.evalEverySteps = evalEverySteps
    }

    func report(_ p: TrainingProgress) {
        if let e = p.evaluation, evalEverySteps {
            renderer.line("step \(p.step)/\(p.totalSteps) dev " + devMetrics(e))
            return
        }
        if let e = p.evaluation {
            closeEpoch(dev: "; dev " + devMetrics(e))
            return
        }
        if let epoch, epoch != p.epoch { closeEpoch(dev: "") }
        epoch = p.epoch; lossSum += p.loss; lossCount += 1; last = p
        let eta = Int(p.etaSeconds.rounded())
        let text = "step \(p.step)/\(p.totalSteps)  epoch \(p.epoch + 1)  loss \(fixed(p.loss))  lr \(String(format: "%.2e", p.learningRate))  "
            + "\(String(format: "%.1f", p.sequencesPerSecond)) seq/s  ETA \(eta / 60):\(String(format: "%02d", eta % 60))"
        renderer.status(text, due: p.step % loggingSteps == 0)
    }

    /// "epoch E done at step S/T: train loss L" (+ dev metrics), once per epoch.
    private func closeEpoch(dev: String) {
        guard let epoch, let last else { return }
        renderer.line("epoch \(epoch + 1) done at step \(last.step)/\(last.totalSteps): train loss \(fixed(lossSum / Double(max(lossCount, 1))))" + dev)
        self.epoch = nil; lossSum = 0; lossCount = 0
    }

    func finish() {
        closeEpoch(dev: "")
        renderer.finish()
    }
}
