// `docket bench train`: training-step throughput and peak memory (release builds; see
// Scripts/bench/bench-training.sh, which measures PyTorch in the same run).
import ArgumentParser
import Docket
import DocketBench
import Foundation

struct BenchTrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Benchmark training throughput (forward + backward + AdamW) on random weights.")

    @Option(help: "Model shapes: distilbert-base, minilm or tiny (a smoke test).") var model: String = "minilm"
    @Option(help: "Sequences per batch.") var batchSize: Int = 16
    @Option(help: "Tokens per sequence.") var seqLen: Int = 128
    @Option(help: "Timed steps (after 2 warm-up steps).") var steps: Int = 5
    @Option(help: "What backward rebuilds instead of keeping: all (default), attention or none.") var recompute: String = "all"
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard ActivationRecompute(rawValue: recompute) != nil else { throw ValidationError("--recompute must be none, attention or all") }
        guard ["distilbert-base", "minilm", "tiny"].contains(model) else {
            throw ValidationError("--model must be distilbert-base, minilm or tiny")
        }
        try FlagLimits.check(batchSize, "--batch-size", FlagLimits.batchSize)
        try FlagLimits.check(steps, "--steps", FlagLimits.steps)
        guard batchSize > 0, seqLen > 1, seqLen <= 512, steps > 0 else {
            throw ValidationError("--batch-size and --steps must be positive, --seq-len in 2...512")
        }
    }

    func run() async throws {
        let config = ["minilm": TrainingBenchmark.miniLM, "tiny": TrainingBenchmark.tiny][model] ?? TrainingBenchmark.distilbertBase
        let r = try TrainingBenchmark.run(name: model, config: config, batch: batchSize, seqLen: seqLen, steps: steps,
                                       recompute: ActivationRecompute(rawValue: recompute) ?? .all)
        if json {
            print(try BenchJSON.line(r))
        } else {
            let mb = Int((Double(r.peakRSSBytes) / 1e6).rounded())
            print("\(r.model): \(String(format: "%.2f", r.sequencesPerSecond)) seq/s (\(String(format: "%.3f", r.secondsPerStep)) s/step, "
                  + "batch \(r.batch) × \(r.seqLen), recompute \(r.recompute.rawValue)), peak RSS \(mb) MB (products: \(r.blasCore))")
            print("dispatch: \(ComputeDispatch.current.summary)")
        }
    }
}
