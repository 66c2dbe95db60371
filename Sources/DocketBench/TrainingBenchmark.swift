// Training throughput: full optimizer steps (forward + backward + clipping + AdamW) on random
// full-length batches of a randomly initialised model, timed after warm-up steps. Used by
// `docket bench train`; Scripts/bench/bench-training.sh runs PyTorch on the same shapes.
import DocketBase
import Encoder
import Foundation
import Kernels
import Training

public struct TrainingBenchmarkResult: Sendable, Codable {
    public let model: String
    public let parameters: Int
    public let batch: Int
    public let seqLen: Int
    public let recompute: ActivationRecompute
    public let steps: Int
    public let secondsPerStep: Double
    public let sequencesPerSecond: Double
    /// Peak resident set of the process (VmHWM) in bytes.
    public let peakRSSBytes: Int
    /// The FP32 products' engine and instruction set for this run ("onednn avx512_core_bf16", ...).
    public let blasCore: String
}

public enum TrainingBenchmark {
    /// distilbert-base-uncased's shapes (6 × 768, 12 heads, FFN 3072, vocab 30522), 2 labels.
    public static let distilbertBase = ModelConfig(family: .distilbert, hiddenSize: 768, numLayers: 6, numHeads: 12,
                                                   intermediateSize: 3072, vocabSize: 30522, labels: ["a", "b"])
    /// all-MiniLM-L6-v2's shapes (6 × 384, 12 heads, FFN 1536, vocab 30522), 2 labels.
    public static let miniLM = ModelConfig(family: .bert, hiddenSize: 384, numLayers: 6, numHeads: 12,
                                           intermediateSize: 1536, vocabSize: 30522, layerNormEps: 1e-12, labels: ["a", "b"])
    /// A smoke-test shape (2 × 32, 2 heads, FFN 64, vocab 30522): checks the command and its
    /// output in a second, measures nothing of interest.
    public static let tiny = ModelConfig(family: .bert, hiddenSize: 32, numLayers: 2, numHeads: 2,
                                         intermediateSize: 64, vocabSize: 30522, labels: ["a", "b"])

    public static func run(name: String, config: ModelConfig, batch: Int, seqLen: Int, steps: Int,
                           warmup: Int = 2, seed: UInt64 = 1,
                           recompute: ActivationRecompute = .all) throws -> TrainingBenchmarkResult {
        let model = EncoderTrainable(model: try EncoderModel(config: config, seed: seed),
                                     recompute: recompute)
        var rng = SeededRNG(seed: seed)
        let examples = (0..<batch).map { i in
            TrainingExample(ids: [101] + (1..<seqLen).map { _ in Int32(1000 + rng.next() % 20000) }, label: i % 2)
        }
        var options = TrainingOptions()
        options.maxSteps = warmup + steps; options.batchSize = batch; options.shuffle = false
        options.learningRate = 5e-5; options.warmupRatio = 0.1
        let trainer = try Trainer(model: model, options: options, labels: config.labels, train: examples,
                                  dev: nil, stateDirectory: nil, logURL: nil)
        var start = 0.0
        trainer.onProgress = { p in if p.step == warmup { start = MonotonicClock.now() } }
        _ = try trainer.run()
        let elapsed = MonotonicClock.now() - start
        let perStep = elapsed / Double(steps)
        return TrainingBenchmarkResult(model: name, parameters: model.model.parameterCount, batch: batch, seqLen: seqLen,
                                       recompute: recompute,
                                       steps: steps, secondsPerStep: perStep, sequencesPerSecond: Double(batch) / perStep,
                                       peakRSSBytes: ProcessUsage.peakResidentKilobytes() * 1024, blasCore: ComputeDispatch.current.fp32.summary)
    }
}
