// BF16 rows of `docket bench kernels`: the bf16 linear forward next to the FP32 sgemm it
// replaces (same shape, alternated so both see the same load), on all cores and on one core
// (OpenBLAS held at one thread, which also keeps bf16LinearForward serial), plus the bf16
// peak of one core (vdpbf16ps loop).
import CBLAS
import CKernelsBF16
import Foundation

extension KernelBenchmark {
    /// Encoder shapes (inFeatures, outFeatures) of MiniLM (384/1536) and distilbert-base (768/3072).
    public static let bf16Shapes: [(Int, Int)] = [(384, 384), (384, 1536), (1536, 384), (768, 768), (768, 3072), (3072, 768)]

    /// Forward only: bf16LinearForward vs cblas_sgemm(NoTrans, Trans) + the same bias, on all
    /// cores and on one. Empty when the CPU lacks AVX512_BF16.
    public static func bf16Linear(rows: Int, inFeatures: Int, outFeatures: Int, minSeconds: Double = 0.5)
        -> [KernelBenchmarkResult] {
        let (r, i, o) = (rows, inFeatures, outFeatures)
        let x = filled(r * i, seed: 1, scale: 1), w = filled(o * i, seed: 2), b = filled(o, seed: 3)
        let y = filled(r * o, seed: 4)
        defer { for p in [x, w, b, y] { p.deallocate() } }
        guard let packed = try? BF16Weight(weight: w, outFeatures: o, inFeatures: i) else { return [] }
        let flops = 2.0 * Double(r) * Double(i) * Double(o)
        let bodies: [() -> Void] = [
            { try? bf16LinearForward(out: y, input: x, weight: packed, bias: b, rows: r) },
            { linearForward(out: y, input: x, weight: w, bias: b, rows: r, inFeatures: i, outFeatures: o) },
        ]
        let all = bestTimes(minSeconds: minSeconds, bodies)
        let saved = openblas_get_num_threads()
        openblas_set_num_threads(1)
        let one = bestTimes(minSeconds: minSeconds, bodies)
        openblas_set_num_threads(saved)
        let name = "\(i)->\(o) fwd"
        return [
            KernelBenchmarkResult(name: "bf16 linear \(name)", flops: flops, seconds: all[0]),
            KernelBenchmarkResult(name: "fp32 linear \(name)", flops: flops, seconds: all[1]),
            KernelBenchmarkResult(name: "bf16 linear \(name), 1 core", flops: flops, seconds: one[0]),
            KernelBenchmarkResult(name: "fp32 linear \(name), 1 core", flops: flops, seconds: one[1]),
        ]
    }

    /// GFLOP/s of the vdpbf16ps loop on one core (best of rounds over `seconds`); 0 when the
    /// CPU lacks AVX512_BF16 or seconds is 0.
    public static func bf16PeakPerCore(seconds: Double = 0.5) -> Double {
        guard BF16Support.isAvailable, seconds > 0 else { return 0 }
        let iterations: Int64 = 10_000_000  // 24 · 64 flops each: ~15 ms per round at 575 GFLOP/s
        var best = 0.0
        let start = now()
        repeat {
            let t0 = now()
            _ = docket_bf16_peak_loop(iterations)
            best = max(best, Double(iterations) * 24 * 64 / (now() - t0) / 1e9)
        } while now() - start < seconds
        return best
    }
}
