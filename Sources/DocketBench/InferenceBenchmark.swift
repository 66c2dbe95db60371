// Inference benchmark (used by `docket bench classify`): batch throughput and batch-1 latency
// of EncoderModel.logits (the inference forward) on synthetic full-length inputs, plus the process's peak RSS.
// Timing lives here rather than in tests (DESIGN: never a timed unit test).
import DocketBase
import Encoder
import Foundation
import Kernels

public struct InferenceBenchmarkResult: Sendable, Codable {
    public var model: String
    public var batch: Int
    public var seqLen: Int
    public var iterations: Int
    public var workers: Int
    public var throughputSeqPerSec: Double
    /// Process CPU time (all threads) per sequence in the throughput loop: less sensitive than
    /// wall time to other processes sharing the cores.
    public var cpuMsPerSeq: Double
    public var latencyMsBatch1: Double
    public var peakRSSMB: Double
    /// The FP32 products' engine and instruction set for this run (see ComputeDispatch.current.fp32.summary).
    public var blasCore: String
    /// The model's inference precision ("fp32", "bf16" or "int8").
    public var precision: String

    /// Spelled for the snake_case conversion of `docket bench --json` ("peak_rss_mb", not
    /// "peak_rssmb"); the other keys convert from their property names.
    enum CodingKeys: String, CodingKey {
        case model, batch, seqLen, iterations, workers, throughputSeqPerSec, cpuMsPerSeq, latencyMsBatch1
        case peakRSSMB = "peakRssMb"
        case blasCore, precision
    }
}

public enum InferenceBenchmark {
    /// The distilbert-base-uncased shape (random weights): 6 layers, 768, 12 heads, 3072.
    public static func distilBertBaseConfig() -> ModelConfig {
        ModelConfig(family: .distilbert, hiddenSize: 768, numLayers: 6, numHeads: 12, intermediateSize: 3072,
                    vocabSize: 30522, maxPositions: 512, labels: ["LABEL_0", "LABEL_1"])
    }

    /// Times `iterations` forwards of batch × seqLen (after one warm-up) and `latencyRuns`
    /// batch-1 forwards (median). Inputs: seeded random ids ≥ 1000, no padding.
    /// `workers` > 1 splits each batch over that many threads, each with its own workspace and
    /// single-threaded products (the policy for many concurrent callers); 1 = one caller
    /// splitting every product over the cores.
    public static func run(model: EncoderModel, name: String, batch: Int, seqLen: Int, iterations: Int,
                           latencyRuns: Int, workers: Int = 1,
                           progress: ((String) -> Void)? = nil) throws -> InferenceBenchmarkResult {
        var rng = SeededRNG(seed: 1)
        let n = batch * seqLen
        let lo = min(1000, model.config.vocabSize - 1)
        let ids = (0..<n).map { _ in Int32(lo + Int(rng.next() % UInt64(model.config.vocabSize - lo))) }
        let mask = [Int32](repeating: 1, count: n)
        let parts = max(1, min(workers, batch))
        let per = (batch + parts - 1) / parts
        let spaces = try (0..<parts).map { _ in try model.makeWorkspace(maxBatch: per, maxSeqLen: seqLen, training: false) }
        let blasThreads = GEMMThreads.count
        if parts > 1 { GEMMThreads.set(1) }
        defer { GEMMThreads.set(blasThreads) }
        let failure = FailureBox()
        func oneBatch() throws {
            DispatchQueue.concurrentPerform(iterations: parts) { w in
                let b0 = w * per, b1 = min(batch, b0 + per)
                guard b0 < b1 else { return }
                do {
                    _ = try model.logits(ids: Array(ids[(b0 * seqLen)..<(b1 * seqLen)]),
                                         mask: Array(mask[(b0 * seqLen)..<(b1 * seqLen)]), batch: b1 - b0,
                                         seqLen: seqLen, workspace: spaces[w])
                } catch { failure.set(error) }
            }
            if let e = failure.error { throw e }
        }
        try oneBatch()
        let start = MonotonicClock.now(), cpuStart = ProcessUsage.cpuSeconds()
        for i in 0..<iterations {
            try oneBatch()
            progress?("\(name): batch \(i + 1)/\(iterations)")
        }
        let seconds = MonotonicClock.now() - start
        let cpu = ProcessUsage.cpuSeconds() - cpuStart
        GEMMThreads.set(blasThreads)
        var times: [Double] = []
        let one = Array(ids.prefix(seqLen)), oneMask = Array(mask.prefix(seqLen))
        _ = try model.logits(ids: one, mask: oneMask, batch: 1, seqLen: seqLen, workspace: spaces[0])
        for _ in 0..<latencyRuns {
            let t0 = MonotonicClock.now()
            _ = try model.logits(ids: one, mask: oneMask, batch: 1, seqLen: seqLen, workspace: spaces[0])
            times.append((MonotonicClock.now() - t0) * 1000)
        }
        times.sort()
        return InferenceBenchmarkResult(
            model: name, batch: batch, seqLen: seqLen, iterations: iterations, workers: parts,
            throughputSeqPerSec: Double(batch * iterations) / seconds,
            cpuMsPerSeq: cpu * 1000 / Double(batch * iterations),
            latencyMsBatch1: times.isEmpty ? 0 : times[times.count / 2], peakRSSMB: Double(ProcessUsage.peakResidentKilobytes()) / 1024,
            blasCore: ComputeDispatch.current.fp32.summary, precision: model.inferencePrecision.rawValue)
    }
}

/// The first error thrown by a concurrent worker.
final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    var error: Error? { lock.lock(); defer { lock.unlock() }; return stored }
    func set(_ e: Error) { lock.lock(); if stored == nil { stored = e }; lock.unlock() }
}
