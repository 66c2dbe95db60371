// `docket pretrain`: domain-adaptive masked-LM pretraining on unlabelled text; flags →
// PretrainRequest; progress on stderr (a status line; piped: a plain line every --logging-steps).
import ArgumentParser
import Docket
import Foundation

struct PretrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Continue masked-LM pretraining of a checkpoint on unlabelled text (then finetune --model OUTPUT).")

    @Option(help: "Checkpoint directory to start from (its masked-LM head is created when absent).") var model: String
    @Option(help: "Unlabelled texts: JSONL with \"text\", CSV, plain text (one per line) or a folder of .txt.") var text: String
    @Option(help: "Output checkpoint directory.") var output: String
    @Option(help: "Epochs over every window of every text.") var epochs: Int = 1
    @Option(help: "Stop after this many optimizer steps.") var maxSteps: Int?
    @Option(help: "Windows per batch.") var batchSize: Int = 16
    @Option(help: "Peak learning rate.") var learningRate: Double = 5e-5
    @Option(help: "AdamW weight decay (not on biases and LayerNorm).") var weightDecay: Double = 0.01
    @Option(help: "Linear warmup as a fraction of all steps.") var warmupRatio: Double = 0.06
    @Option(help: "Global gradient-norm clipping (0 = off).") var gradClip: Double = 1.0
    @Option(help: "Tokens per window, special tokens included (longer texts give several windows).") var maxLength: Int = 128
    @Option(help: "Seed (data order, masking, dropout).") var seed: UInt64 = 42
    @Option(help: "Save training state every N steps (and each epoch end).") var saveSteps: Int = 50
    @Flag(help: "Continue an interrupted run from OUTPUT/training_state.") var resume = false
    @Flag(help: "Replace what an earlier run left in a non-empty --output directory.") var overwriteOutput = false
    @Option(help: "When stderr is not a terminal, print a progress line every N steps.") var loggingSteps: Int = 50

    func options() -> TrainingOptions {
        var o = TrainingOptions()
        o.epochs = epochs; o.maxSteps = maxSteps; o.batchSize = batchSize; o.learningRate = learningRate
        o.weightDecay = weightDecay; o.warmupRatio = warmupRatio; o.gradClip = gradClip; o.seed = seed
        o.saveSteps = saveSteps
        return o
    }

    func validate() throws {
        do { try options().validate() } catch { throw ValidationError("\(error)") }
        guard maxLength >= 3 else { throw ValidationError("--max-length must be at least 3") }
        try FlagLimits.check(maxLength, "--max-length", FlagLimits.maxLength)
        try FlagLimits.check(loggingSteps, "--logging-steps", FlagLimits.steps)
    }

    func run() async throws {
        var request = PretrainRequest(model: URL(fileURLWithPath: model), textPath: text,
                                      outputDirectory: URL(fileURLWithPath: output), options: options(),
                                      maxLength: maxLength, resume: resume)
        request.overwriteOutput = overwriteOutput
        let progress = TrainingProgressView(renderer: ProgressRenderer(interval: .infinity), loggingSteps: loggingSteps)
        let result: PretrainResult
        do { result = try Pretrainer.run(request, progress: { progress.report($0) }) }
        catch { progress.finish(); throw CLIError("\(error)") }
        progress.finish()
        for n in result.notices { FileHandle.standardError.write(Data("note: \(n)\n".utf8)) }
        let s = result.summary
        print("pretrained \(s.steps) steps (\(s.epochsCompleted) epochs over \(result.windows) windows)"
            + (s.finalLoss.map { String(format: ", last masked-LM loss %.4f", $0) } ?? ""))
        print("checkpoint: \(result.outputDirectory.path)")
    }
}
