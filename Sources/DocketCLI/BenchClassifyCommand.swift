// `docket bench classify`: inference throughput (batch × length), batch-1 latency and peak
// RSS of the native encoder. Scripts/bench/bench-inference.sh runs it beside PyTorch and ONNX Runtime.
import ArgumentParser
import Docket
import DocketBench
import Foundation

struct BenchClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify", abstract: "Benchmark inference throughput and latency.")

    @Option(help: "Checkpoint directory to load (e.g. all-MiniLM-L6-v2); default: a random distilbert-base-sized model.")
    var model: String?
    @Option(help: "Name printed in the result.") var name: String?
    @Option(help: "Sequences per batch.") var batchSize = 32
    @Option(help: "Tokens per sequence.") var seqLen = 128
    @Option(help: "Timed batches.") var iterations = 5
    @Option(help: "Batch-1 runs for the latency median.") var latencyRuns = 20
    @Option(help: "Threads splitting each batch, each with single-threaded products (1 = one caller splitting every product over the cores).")
    var workers = 1
    @Flag(help: "Print one JSON line instead of text.") var json = false
    @OptionGroup var precision: PrecisionOptions

    func validate() throws {
        try FlagLimits.check(batchSize, "--batch-size", FlagLimits.batchSize)
        try FlagLimits.check(seqLen, "--seq-len", FlagLimits.maxLength)
        try FlagLimits.check(iterations, "--iterations", FlagLimits.steps)
        try FlagLimits.check(latencyRuns, "--latency-runs", FlagLimits.nonNegativeSteps)
        try FlagLimits.check(workers, "--workers", FlagLimits.workers)
    }

    func run() async throws {
        var encoder: EncoderModel
        if let model {
            encoder = try EncoderModel.load(directory: URL(fileURLWithPath: model)).model
        } else {
            encoder = try EncoderModel(config: InferenceBenchmark.distilBertBaseConfig(), seed: 0)
        }
        // The benchmark owns `encoder`, as `docket classify` owns its model: bf16 / int8 keep only the packed block linears.
        do {
            encoder = try encoder.preparedForInference(precision: precision.precision, releasingFP32Weights: true)
        } catch let error as KernelsError {
            throw CLIError("--precision \(precision.precision): \(error)")
        }
        let label = name ?? (model == nil ? "distilbert-base (random)" : URL(fileURLWithPath: model!).lastPathComponent)
        let renderer = ProgressRenderer()
        let r = try InferenceBenchmark.run(model: encoder, name: label, batch: batchSize, seqLen: seqLen,
                                           iterations: iterations, latencyRuns: latencyRuns, workers: workers,
                                           progress: { renderer.status($0) })
        renderer.finish()
        if json {
            print(try BenchJSON.line(r))
        } else {
            print("\(r.model): " + String(format: "%.2f seq/s at %d×%d, batch-1 latency %.1f ms, peak RSS %.0f MB",
                                          r.throughputSeqPerSec, r.batch, r.seqLen, r.latencyMsBatch1, r.peakRSSMB)
                  + " (\(r.precision); fp32 products: \(r.blasCore))")
            print("dispatch: \(ComputeDispatch.current.summary)")
        }
    }
}
