// The machine's FP32 peak: nominal from /proc/cpuinfo (vector width × FMA × units × clock ×
// cores) and measured with an FMA loop on every core at once.
import CKernelsPeak
import Dispatch
import DocketBase
import Foundation
import Kernels

public struct MachinePeak: Sendable, Codable {
    public let cores: Int
    public let megahertz: Double          // "cpu MHz" from /proc/cpuinfo (current clock)
    public let vectorLanes: Int           // 16 = AVX-512, 8 = AVX2
    public let assumedFMAUnits: Int       // per core; 2 on AVX-512 server cores (Cooper Lake)
    public let nominalGFLOPS: Double
    public let measuredGFLOPS: Double
    public let modelName: String
}

extension KernelBenchmark {
    /// Nominal peak from /proc/cpuinfo and a measured FMA loop over `seconds` on all cores.
    public static func machinePeak(seconds: Double = 0.5) -> MachinePeak {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        func field(_ key: String) -> String? {
            for line in info.split(separator: "\n") where line.hasPrefix(key) {
                if let colon = line.firstIndex(of: ":") {
                    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }
        let flags = Set((field("flags") ?? "").split(separator: " ").map(String.init))
        let lanes = flags.contains("avx512f") ? 16 : (flags.contains("avx2") && flags.contains("fma") ? 8 : 4)
        let mhz = Double(field("cpu MHz") ?? "") ?? 0
        let units = lanes == 16 ? 2 : (lanes == 8 ? 2 : 1)
        let cores = kernelWorkerCount
        let nominal = Double(cores) * mhz * 1e6 * Double(lanes) * 2 * Double(units) / 1e9
        return MachinePeak(cores: cores, megahertz: mhz, vectorLanes: lanes, assumedFMAUnits: units,
                           nominalGFLOPS: nominal, measuredGFLOPS: measuredFMAPeak(seconds: seconds),
                           modelName: field("model name") ?? "unknown")
    }

    /// GFLOP/s of the C FMA loop run on every core at once (best of a few rounds).
    public static func measuredFMAPeak(seconds: Double = 0.5) -> Double {
        let lanes = Int(docket_fma_lanes())
        guard lanes > 0, seconds > 0 else { return 0 }
        let iterations = 20_000_000  // ~0.1 s per round per core at ~2.5 GHz
        let threads = kernelWorkerCount
        var best = 0.0
        let start = MonotonicClock.now()
        repeat {
            let t0 = MonotonicClock.now()
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                _ = docket_fma_loop(iterations)
            }
            let flops = Double(threads) * Double(iterations) * 12 * Double(lanes) * 2
            best = max(best, flops / (MonotonicClock.now() - t0) / 1e9)
        } while MonotonicClock.now() - start < seconds
        return best
    }
}
