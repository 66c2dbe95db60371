// `docket finetune`: flags → FineTuneRequest; progress on stderr only when it is a terminal.
import ArgumentParser
import Docket
import Encoder
import Foundation
import Training

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
    @Option(help: "linear (decay to 0) or constant.") var schedule: String = "linear"
    @Option(help: "Global gradient-norm clipping (0 = off).") var gradClip: Double = 1.0
    @Option(help: "Tokens per example, special tokens included.") var maxLength: Int = 128
    @Option(help: "Set every dropout probability (0 = off).") var dropout: Float?
    @Option(help: "Seed (initialisation, data order, dropout).") var seed: UInt64 = 42
    @Flag(help: "Keep the file's order (consecutive batches).") var noShuffle = false
    @Option(help: "balanced or w1,w2,... in label-id order.") var classWeights: String?
    @Option(help: "Stop after N epochs without dev improvement.") var earlyStoppingPatience: Int?
    @Option(help: "Dev metric for the best checkpoint: macro_f1, accuracy or loss.") var metric: String = "macro_f1"
    @Option(help: "Save training state every N steps (and each epoch end).") var saveSteps: Int = 50
    @Option(help: "JSONL training log (default OUTPUT/training_log.jsonl).") var log: String?
    @Flag(help: "Continue an interrupted run from OUTPUT/training_state.") var resume = false
    @Option(help: "What backward rebuilds instead of keeping (same results either way): all (least memory, one more attention forward and FFN sgemm per layer), attention, or none (fastest, most memory).")
    var recompute: String = "all"

    func validate() throws {
        guard (model == nil) != (config == nil) else { throw ValidationError("give exactly one of --model DIR or --config FILE") }
        if config != nil && tokenizer == nil { throw ValidationError("--config needs --tokenizer PATH") }
        if model != nil && tokenizer != nil { throw ValidationError("--tokenizer goes with --config (a checkpoint has its own)") }
        guard ActivationRecompute(rawValue: recompute) != nil else { throw ValidationError("--recompute must be none, attention or all") }
        guard ScheduleKind(rawValue: schedule) != nil else { throw ValidationError("--schedule must be linear or constant") }
        guard SelectionMetric(rawValue: metric) != nil else { throw ValidationError("--metric must be macro_f1, accuracy or loss") }
        do { try options().validate() } catch { throw ValidationError("\(error)") }
    }

    func options() throws -> TrainingOptions {
        var o = TrainingOptions()
        o.epochs = epochs; o.maxSteps = maxSteps; o.batchSize = batchSize; o.learningRate = learningRate
        o.weightDecay = weightDecay; o.warmupSteps = warmupSteps; o.warmupRatio = warmupRatio
        o.schedule = ScheduleKind(rawValue: schedule) ?? .linear; o.gradClip = gradClip; o.seed = seed
        o.shuffle = !noShuffle; o.classWeights = try classWeights.map { try ClassWeightSpec(parsing: $0) }
        o.earlyStoppingPatience = earlyStoppingPatience; o.metric = SelectionMetric(rawValue: metric) ?? .macroF1
        o.saveSteps = saveSteps
        return o
    }

    func run() async throws {
        let start: FineTuneStart = model.map { .checkpoint(URL(fileURLWithPath: $0)) }
            ?? .config(URL(fileURLWithPath: config!), tokenizer: URL(fileURLWithPath: tokenizer!))
        var request = FineTuneRequest(start: start, trainPath: train, devPath: dev, outputDirectory: URL(fileURLWithPath: output),
                                      options: try options(), maxLength: maxLength, dropout: dropout,
                                      logPath: log.map { URL(fileURLWithPath: $0) }, resume: resume)
        request.recompute = ActivationRecompute(rawValue: recompute) ?? .all
        let ranks = try Ranks.start()
        request.collective = ranks
        let progress = TerminalProgress()
        var result: FineTuneResult?
        var callback: ((TrainingProgress) -> Void)?
        if progress.isEnabled && ranks.isRoot { callback = { progress.report($0) } }
        do { try Ranks.run(ranks, command: "finetune") { result = try FineTuner.run(request, progress: callback) } }
        catch { progress.finish(); throw CLIError("\(error)") }
        progress.finish()
        guard let result, ranks.isRoot else { return }
        for n in result.notices { FileHandle.standardError.write(Data("note: \(n)\n".utf8)) }
        let s = result.summary
        var line = "trained \(s.steps) steps (\(s.epochsCompleted) epochs), labels: \(result.labels.joined(separator: ", "))"
        if let e = s.evaluations.last {
            line += "; last dev: loss \(fixed(e.loss)), accuracy \(fixed(e.accuracy)), macro-F1 \(fixed(e.macroF1))"
        }
        if let b = s.bestMetric, let be = s.bestEpoch { line += "; best \(metric) \(fixed(b)) (epoch \(be + 1))" }
        print(line)
        print("checkpoint: \(result.outputDirectory.path)")
    }
}

/// Four decimals.
private func fixed(_ x: Double) -> String { String(format: "%.4f", x) }


/// One self-rewriting progress line on stderr, only when stderr is a terminal.
final class TerminalProgress: @unchecked Sendable {
    let isEnabled = isatty(2) == 1
    private var drew = false

    func report(_ p: TrainingProgress) {
        guard isEnabled else { return }
        let text: String
        if let e = p.evaluation {
            text = "epoch \(p.epoch + 1) dev: loss \(fixed(e.loss)) accuracy \(fixed(e.accuracy)) macro-F1 \(fixed(e.macroF1))\n"
        } else {
            let eta = Int(p.etaSeconds.rounded())
            let seconds = eta % 60 < 10 ? "0\(eta % 60)" : "\(eta % 60)"
            text = "step \(p.step)/\(p.totalSteps)  epoch \(p.epoch + 1)  loss \(fixed(p.loss))  lr \(String(format: "%.2e", p.learningRate))  "
                + "\(String(format: "%.1f", p.sequencesPerSecond)) seq/s  ETA \(eta / 60):\(seconds)"
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        drew = !text.hasSuffix("\n")
    }

    func finish() { if drew { FileHandle.standardError.write(Data("\n".utf8)); drew = false } }
}
