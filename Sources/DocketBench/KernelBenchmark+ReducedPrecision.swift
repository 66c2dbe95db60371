// Reduced-precision rows of `docket bench kernels --bf16 / --int8`: the bf16 and int8 linear
// forwards next to the FP32 linear they replace (same shape, alternated so all see the same
// load), on all cores and on one core (GEMMThreads held at one, which also keeps the bf16
// and int8 GEMMs serial), plus the peak of one core for each (vdpbf16ps / vpdpbusd loops).
// Rates count 2·rows·in·out operations per call, as the FP32 rows count flops.
import CKernelsBF16
import CKernelsInt8
import DocketBase
import Foundation
import Kernels

extension KernelBenchmark {
    /// Encoder shapes (inFeatures, outFeatures) of MiniLM (384/1536) and distilbert-base (768/3072).
    public static let bf16Shapes: [(Int, Int)] = [(384, 384), (384, 1536), (1536, 384), (768, 768), (768, 3072), (3072, 768)]

    /// bf16LinearForward vs the FP32 linear; empty when the CPU lacks AVX512_BF16.
    public static func bf16Linear(rows: Int, inFeatures: Int, outFeatures: Int, minSeconds: Double = 0.5)
        -> [KernelBenchmarkResult] {
        guard BF16Support.isAvailable else { return [] }
        return reducedPrecisionLinear(["bf16"], rows: rows, inFeatures: inFeatures, outFeatures: outFeatures, minSeconds: minSeconds)
    }

    /// int8LinearForward, bf16LinearForward (when the CPU has AVX512_BF16) and the FP32 linear;
    /// empty when the CPU lacks AVX512_VNNI.
    public static func int8Linear(rows: Int, inFeatures: Int, outFeatures: Int, minSeconds: Double = 0.5)
        -> [KernelBenchmarkResult] {
        guard Int8Support.isAvailable else { return [] }
        return reducedPrecisionLinear(["int8", "bf16"], rows: rows, inFeatures: inFeatures, outFeatures: outFeatures,
                                      minSeconds: minSeconds)
    }

    /// GFLOP/s of the vdpbf16ps loop on one core (24 · 64 flops per iteration); 0 when the CPU
    /// lacks AVX512_BF16 or seconds is 0.
    public static func bf16PeakPerCore(seconds: Double = 0.5) -> Double {
        guard BF16Support.isAvailable else { return 0 }
        return peakPerCore(seconds: seconds, iterations: 10_000_000, operationsPerIteration: 24 * 64) { _ = docket_bf16_peak_loop($0) }
    }

    /// GOP/s of the vpdpbusd loop on one core (24 · 128 operations per iteration); 0 when the
    /// CPU lacks AVX512_VNNI or seconds is 0.
    public static func int8PeakPerCore(seconds: Double = 0.5) -> Double {
        guard Int8Support.isAvailable else { return 0 }
        return peakPerCore(seconds: seconds, iterations: 5_000_000, operationsPerIteration: 24 * 128) { _ = docket_int8_peak_loop($0) }
    }

    /// Forward only, `precisions` ("int8", "bf16"; those whose weight cannot be made here are
    /// left out) then "fp32", alternated, on all cores and on one.
    private static func reducedPrecisionLinear(_ precisions: [String], rows r: Int, inFeatures i: Int, outFeatures o: Int,
                                               minSeconds: Double) -> [KernelBenchmarkResult] {
        let x = filled(r * i, seed: 1, scale: 1), w = filled(o * i, seed: 2), b = filled(o, seed: 3)
        let y = filled(r * o, seed: 4)
        defer { for p in [x, w, b, y] { p.deallocate() } }
        var names: [String] = [], bodies: [() -> Void] = []
        for precision in precisions {
            if precision == "int8", let weight = try? Int8Weight(weight: w, outFeatures: o, inFeatures: i) {
                names.append(precision); bodies.append { try? int8LinearForward(out: y, input: x, weight: weight, bias: b, rows: r) }
            } else if precision == "bf16", let weight = try? BF16Weight(weight: w, outFeatures: o, inFeatures: i) {
                names.append(precision); bodies.append { try? bf16LinearForward(out: y, input: x, weight: weight, bias: b, rows: r) }
            }
        }
        names.append("fp32")
        bodies.append { linearForward(out: y, input: x, weight: w, bias: b, rows: r, inFeatures: i, outFeatures: o) }
        let all = bestTimes(minSeconds: minSeconds, bodies)
        let saved = GEMMThreads.count
        GEMMThreads.set(1)
        let one = bestTimes(minSeconds: minSeconds, bodies)
        GEMMThreads.set(saved)
        let flops = 2.0 * Double(r) * Double(i) * Double(o), shape = "\(i)->\(o) fwd"
        return zip(names, all).map { KernelBenchmarkResult(name: "\($0) linear \(shape)", flops: flops, seconds: $1) }
            + zip(names, one).map { KernelBenchmarkResult(name: "\($0) linear \(shape), 1 core", flops: flops, seconds: $1) }
    }

    /// Best rate (operations/s ÷ 1e9) of `loop(iterations)` over rounds lasting `seconds`.
    private static func peakPerCore(seconds: Double, iterations: Int64, operationsPerIteration: Int,
                                    _ loop: (Int64) -> Void) -> Double {
        guard seconds > 0 else { return 0 }
        var best = 0.0
        let start = MonotonicClock.now()
        repeat {
            let t0 = MonotonicClock.now()
            loop(iterations)
            best = max(best, Double(iterations) * Double(operationsPerIteration) / (MonotonicClock.now() - t0) / 1e9)
        } while MonotonicClock.now() - start < seconds
        return best
    }
}
