// INT8 rows of `docket bench kernels --int8`: the int8 linear forward next to the bf16 one
// (when the CPU has AVX512_BF16) and the FP32 sgemm it replaces (same shape, alternated so
// all see the same load), on all cores and on one core (OpenBLAS held at one thread, which
// also keeps the int8 and bf16 GEMMs serial), plus the int8 peak of one core (vpdpbusd loop).
// "GOP/s" counts 2·rows·in·out operations per call, as the FP32 rows count flops.
import CBLAS
import CKernelsInt8
import Foundation

extension KernelBenchmark {
    /// Forward only: int8LinearForward, bf16LinearForward (skipped without AVX512_BF16) and
    /// cblas_sgemm(NoTrans, Trans) + the same bias, on all cores and on one. Empty when the
    /// CPU lacks AVX512_VNNI.
    public static func int8Linear(rows: Int, inFeatures: Int, outFeatures: Int, minSeconds: Double = 0.5)
        -> [KernelBenchmarkResult] {
        let (r, i, o) = (rows, inFeatures, outFeatures)
        let x = filled(r * i, seed: 1, scale: 1), w = filled(o * i, seed: 2), b = filled(o, seed: 3)
        let y = filled(r * o, seed: 4)
        defer { for p in [x, w, b, y] { p.deallocate() } }
        guard let int8 = try? Int8Weight(weight: w, outFeatures: o, inFeatures: i) else { return [] }
        let bf16 = try? BF16Weight(weight: w, outFeatures: o, inFeatures: i)
        let flops = 2.0 * Double(r) * Double(i) * Double(o)
        var names = ["int8"], bodies: [() -> Void] = [{ try? int8LinearForward(out: y, input: x, weight: int8, bias: b, rows: r) }]
        if let bf16 {
            names.append("bf16"); bodies.append { try? bf16LinearForward(out: y, input: x, weight: bf16, bias: b, rows: r) }
        }
        names.append("fp32")
        bodies.append { linearForward(out: y, input: x, weight: w, bias: b, rows: r, inFeatures: i, outFeatures: o) }
        let all = bestTimes(minSeconds: minSeconds, bodies)
        let saved = openblas_get_num_threads()
        openblas_set_num_threads(1)
        let one = bestTimes(minSeconds: minSeconds, bodies)
        openblas_set_num_threads(saved)
        let shape = "\(i)->\(o) fwd"
        return zip(names, all).map { KernelBenchmarkResult(name: "\($0) linear \(shape)", flops: flops, seconds: $1) }
            + zip(names, one).map { KernelBenchmarkResult(name: "\($0) linear \(shape), 1 core", flops: flops, seconds: $1) }
    }

    /// GOP/s of the vpdpbusd loop on one core (best of rounds over `seconds`; 128 operations
    /// per instruction); 0 when the CPU lacks AVX512_VNNI or seconds is 0.
    public static func int8PeakPerCore(seconds: Double = 0.5) -> Double {
        guard Int8Support.isAvailable, seconds > 0 else { return 0 }
        let iterations: Int64 = 5_000_000  // 24 · 128 operations each: ~14 ms per round at 1.1 TOP/s
        var best = 0.0
        let start = now()
        repeat {
            let t0 = now()
            _ = docket_int8_peak_loop(iterations)
            best = max(best, Double(iterations) * 24 * 128 / (now() - t0) / 1e9)
        } while now() - start < seconds
        return best
    }
}
