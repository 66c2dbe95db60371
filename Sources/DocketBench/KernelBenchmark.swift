// Throughput measurements behind `docket bench kernels` (run from a release build): linear
// forward+backward next to the raw oneDNN sgemm calls it makes (oneDNN's own OpenMP threads), attention forward+backward, and the
// machine's FP32 peak. Times are the best of several repetitions (the 2 cores are shared, so
// the minimum is the least disturbed run).
import CDNNL
import DocketBase
import Kernels

public struct KernelBenchmarkResult: Sendable, Codable {
    public let name: String      // e.g. "linear 768->3072 fwd+bwd"
    public let flops: Double     // floating-point operations per call
    public let seconds: Double   // best time per call
    public var gflops: Double { flops / seconds / 1e9 }
}

public enum KernelBenchmark {
    /// Encoder shapes (inFeatures, outFeatures) measured at rows = B·T = 2048.
    public static let linearShapes: [(Int, Int)] = [(768, 768), (768, 3072), (3072, 768), (384, 1536), (1536, 384)]

    /// Best wall time of `body` (BestTime.of).
    static func bestTime(minRuns: Int = 5, minSeconds: Double = 0.5, _ body: () -> Void) -> Double {
        BestTime.of(minRuns: minRuns, minSeconds: minSeconds, body)
    }

    /// Best wall time of each body, run alternately (BestTime.alternating).
    static func bestTimes(minRuns: Int = 5, minSeconds: Double = 0.5, _ bodies: [() -> Void]) -> [Double] {
        BestTime.alternating(minRuns: minRuns, minSeconds: minSeconds, bodies)
    }

    static func filled(_ n: Int, seed: UInt64, scale: Float = 0.05) -> UnsafeMutablePointer<Float> {
        BestTime.filledBuffer(n, seed: seed, scale: scale)
    }

    /// linear forward + backward (dInput, dWeight, dBias): flops 6·rows·in·out.
    public static func linear(rows: Int, inFeatures: Int, outFeatures: Int, minSeconds: Double = 0.5) -> KernelBenchmarkResult {
        linearShape(rows: rows, inFeatures: inFeatures, outFeatures: outFeatures, name: "linear \(inFeatures)->\(outFeatures) fwd+bwd",
                    minSeconds: minSeconds) { x, w, b, y, dy, dx, dw, db, r, i, o in
            linearForward(out: y, input: x, weight: w, bias: b, rows: r, inFeatures: i, outFeatures: o)
            linearBackward(dInput: dx, dWeight: dw, dBias: db, dOut: dy, input: x, weight: w,
                           rows: r, inFeatures: i, outFeatures: o)
        }
    }

    /// The three bare dnnl_sgemm calls of `linear` as a user of the library would make them (one
    /// call each, oneDNN's OpenMP threads on every core). Measure these after every Docket
    /// kernel: once oneDNN's OpenMP team exists, its worker slowed Docket's next measurement
    /// in the same process to about half (measured 2026-12-03 even with 0.3 s pauses between
    /// the two; with OMP_WAIT_POLICY=PASSIVE it did not), which would bias the ratio.
    public static func rawSgemm(rows: Int, inFeatures: Int, outFeatures: Int, minSeconds: Double = 0.5) -> KernelBenchmarkResult {
        defer { resetCallerThreads() }
        return linearShape(rows: rows, inFeatures: inFeatures, outFeatures: outFeatures,
                           name: "dnnl_sgemm \(inFeatures)->\(outFeatures) (same 3 calls)", minSeconds: minSeconds) { x, w, _, y, dy, dx, dw, _, r, i, o in
            let (R, I, O, t) = (Int64(r), Int64(i), Int64(o), Int32(kernelWorkerCount))
            _ = docket_dnnl_sgemm_threads(0, 1, R, O, I, 1, x, I, w, I, 0, y, O, t)
            _ = docket_dnnl_sgemm_threads(0, 0, R, I, O, 1, dy, O, w, I, 1, dx, I, t)
            _ = docket_dnnl_sgemm_threads(1, 0, O, I, R, 1, dy, O, x, I, 1, dw, I, t)
        }
    }

    /// Sets this thread's OpenMP team size back to 1 (a 1×1×1 call), as CDNNL's products expect.
    private static func resetCallerThreads() {
        let a: Float = 0
        var c: Float = 0
        withUnsafePointer(to: a) { p in _ = docket_dnnl_sgemm_threads(0, 0, 1, 1, 1, 0, p, 1, p, 1, 0, &c, 1, 1) }
    }

    /// Best time of `body` on seeded buffers x(rows, in), w(out, in), b(out), y/dy(rows, out),
    /// dx(rows, in), dw(out, in), db(out).
    private static func linearShape(
        rows r: Int, inFeatures i: Int, outFeatures o: Int, name: String, minSeconds: Double,
        _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
                 UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
                 Int, Int, Int) -> Void
    ) -> KernelBenchmarkResult {
        let x = filled(r * i, seed: 1), w = filled(o * i, seed: 2), b = filled(o, seed: 3)
        let y = filled(r * o, seed: 4), dy = filled(r * o, seed: 5)
        let dx = filled(r * i, seed: 6), dw = filled(o * i, seed: 7), db = filled(o, seed: 8)
        defer { for p in [x, w, b, y, dy, dx, dw, db] { p.deallocate() } }
        let t = bestTime(minSeconds: minSeconds) { body(x, w, b, y, dy, dx, dw, db, r, i, o) }
        return KernelBenchmarkResult(name: name, flops: 6.0 * Double(r) * Double(i) * Double(o), seconds: t)
    }

    /// Attention forward + backward over (B, T, C = NH·HS) with a padding mask (last 1/8 of
    /// every other sequence padded); flops count the six matmuls: 12·B·NH·T²·HS.
    public static func attention(batch: Int = 16, seqLen: Int = 128, heads: Int = 12, headSize: Int = 64,
                                 minSeconds: Double = 0.5) -> KernelBenchmarkResult {
        let (B, T, C) = (batch, seqLen, heads * headSize)
        let n = B * T * C, pn = B * heads * T * T
        let q = filled(n, seed: 1, scale: 1), k = filled(n, seed: 2, scale: 1), v = filled(n, seed: 3, scale: 1)
        let out = filled(n, seed: 4), dOut = filled(n, seed: 5)
        let dq = filled(n, seed: 6), dk = filled(n, seed: 7), dv = filled(n, seed: 8)
        let probs = filled(pn, seed: 9)
        let mask = UnsafeMutablePointer<Int32>.allocate(capacity: B * T)
        for b in 0..<B { for t in 0..<T { mask[b * T + t] = (b % 2 == 1 && t >= T - T / 8) ? 0 : 1 } }
        defer { for p in [q, k, v, out, dOut, dq, dk, dv, probs] { p.deallocate() }; mask.deallocate() }
        var rng = SeededRNG(seed: 1)
        let flops = 12.0 * Double(B * heads) * Double(T * T) * Double(headSize)
        let t = bestTime(minSeconds: minSeconds) {
            try? attentionForward(out: out, probs: probs, q: q, k: k, v: v, keyMask: mask,
                                  batch: B, seqLen: T, channels: C, heads: heads, rng: &rng)
            try? attentionBackward(dq: dq, dk: dk, dv: dv, dOut: dOut, q: q, k: k, v: v, probs: probs,
                                   keyMask: mask, batch: B, seqLen: T, channels: C, heads: heads)
        }
        return KernelBenchmarkResult(name: "attention B=\(B) T=\(T) NH=\(heads) HS=\(headSize) fwd+bwd",
                                     flops: flops, seconds: t)
    }
}
