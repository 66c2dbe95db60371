// Inference benchmark (used by `docket bench classify`): batch throughput and batch-1 latency
// of EncoderModel.forward on synthetic full-length inputs, plus the process's peak RSS.
// Timing lives here rather than in tests (DESIGN: never a timed unit test).
import Foundation
import Kernels

public struct InferenceBenchmarkResult: Sendable, Codable {
    public var model: String
    public var batch: Int
    public var seqLen: Int
    public var iterations: Int
    public var throughputSeqPerSec: Double
    /// Process CPU time (all threads) per sequence in the throughput loop: less sensitive than
    /// wall time to other processes sharing the cores.
    public var cpuMsPerSeq: Double
    public var latencyMsBatch1: Double
    public var peakRSSMB: Double
}

public enum InferenceBenchmark {
    /// The distilbert-base-uncased shape (random weights): 6 layers, 768, 12 heads, 3072.
    public static func distilBertBaseConfig() -> ModelConfig {
        ModelConfig(family: .distilbert, hiddenSize: 768, numLayers: 6, numHeads: 12, intermediateSize: 3072,
                    vocabSize: 30522, maxPositions: 512, labels: ["LABEL_0", "LABEL_1"])
    }

    /// Times `iterations` forwards of batch × seqLen (after one warm-up) and `latencyRuns`
    /// batch-1 forwards (median). Inputs: seeded random ids ≥ 1000, no padding.
    public static func run(model: EncoderModel, name: String, batch: Int, seqLen: Int, iterations: Int,
                           latencyRuns: Int, progress: ((String) -> Void)? = nil) throws -> InferenceBenchmarkResult {
        var rng = SeededRNG(seed: 1)
        let n = batch * seqLen
        let lo = min(1000, model.config.vocabSize - 1)
        let ids = (0..<n).map { _ in Int32(lo + Int(rng.next() % UInt64(model.config.vocabSize - lo))) }
        let mask = [Int32](repeating: 1, count: n)
        let ws = try model.makeWorkspace(maxBatch: batch, maxSeqLen: seqLen, training: false)
        _ = try model.forward(ids: ids, mask: mask, batch: batch, seqLen: seqLen, workspace: ws, rng: &rng)
        let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
        for i in 0..<iterations {
            _ = try model.forward(ids: ids, mask: mask, batch: batch, seqLen: seqLen, workspace: ws, rng: &rng)
            progress?("\(name): batch \(i + 1)/\(iterations)")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = processCPUSeconds() - cpuStart
        var times: [Double] = []
        let one = Array(ids.prefix(seqLen)), oneMask = Array(mask.prefix(seqLen))
        _ = try model.forward(ids: one, mask: oneMask, batch: 1, seqLen: seqLen, workspace: ws, rng: &rng)
        for _ in 0..<latencyRuns {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try model.forward(ids: one, mask: oneMask, batch: 1, seqLen: seqLen, workspace: ws, rng: &rng)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        times.sort()
        return InferenceBenchmarkResult(
            model: name, batch: batch, seqLen: seqLen, iterations: iterations,
            throughputSeqPerSec: Double(batch * iterations) / seconds,
            cpuMsPerSeq: cpu * 1000 / Double(batch * iterations),
            latencyMsBatch1: times.isEmpty ? 0 : times[times.count / 2], peakRSSMB: peakRSSMegabytes())
    }

    /// User + system CPU seconds of the whole process (getrusage).
    public static func processCPUSeconds() -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6
            + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    /// VmHWM from /proc/self/status in MB (0 when unavailable).
    public static func peakRSSMegabytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }
}
