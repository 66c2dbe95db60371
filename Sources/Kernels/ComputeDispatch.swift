// One dispatch decision per process, from the CPU's instruction-set features (cpuid), never
// from a table of CPU models (DESIGN.md §7, docs/kernels.md "Dispatch"):
//   fp32  always oneDNN dnnl_sgemm, JIT-compiled for the best ISA oneDNN finds (avx512_core*,
//         avx2, …; ONEDNN_MAX_CPU_ISA caps it);
//   bf16  Docket's AVX512_BF16 kernel (CKernelsBF16) where the CPU has the instructions;
//   int8  Docket's AVX512_VNNI kernel (CKernelsInt8) where the CPU has the instructions.
// oneDNN 2.6.3's bf16/int8 matmul primitives were measured against Docket's kernels on the
// AVX512_BF16/VNNI CPU at hand and were slower (Scripts/bench/bench-onednn-engines.sh), so they are
// not wired in; on CPUs whose bf16 rate does not exceed FP32's (Intel without AMX issues
// vdpbf16ps at half the FMA rate) `--precision auto` never picks bf16.
import CDNNL
import Foundation

/// The CPU's instruction-set features as cpuid reports them (usable by the OS).
public struct CPUFeatures: Sendable, Codable, Equatable {
    public let vendor: String          // "intel", "amd" or "other"
    public let family: Int, model: Int
    public let brand: String
    /// Present features among: sse41 avx avx2 fma avx512f avx512bw avx512vl avx512_vnni
    /// avx512_bf16 avx_vnni amx_tile amx_bf16 amx_int8.
    public let flags: [String]

    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// Features as given (tests of the dispatch rules).
    public init(vendor: String, family: Int, model: Int, brand: String, flags: [String]) {
        self.vendor = vendor; self.family = family; self.model = model; self.brand = brand; self.flags = flags
    }

    /// Reads cpuid once.
    public static let current: CPUFeatures = {
        var f = docket_cpu_features()
        docket_cpu_features_read(&f)
        let brand = withUnsafeBytes(of: f.brand) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
        let named: [(String, Int32)] = [
            ("sse41", f.sse41), ("avx", f.avx), ("avx2", f.avx2), ("fma", f.fma), ("avx512f", f.avx512f),
            ("avx512bw", f.avx512bw), ("avx512vl", f.avx512vl), ("avx512_vnni", f.avx512_vnni),
            ("avx512_bf16", f.avx512_bf16), ("avx_vnni", f.avx_vnni), ("amx_tile", f.amx_tile),
            ("amx_bf16", f.amx_bf16), ("amx_int8", f.amx_int8),
        ]
        return CPUFeatures(vendor: f.vendor_intel != 0 ? "intel" : (f.vendor_amd != 0 ? "amd" : "other"),
                           family: Int(f.family), model: Int(f.model), brand: brand,
                           flags: named.filter { $0.1 != 0 }.map { $0.0 })
    }()
}

/// Which engine and instruction set one precision runs with on this CPU.
public struct EngineChoice: Sendable, Codable, Equatable {
    public let precision: String   // "fp32", "bf16", "int8"
    public let engine: String      // "onednn", "docket", or "unavailable"
    public let isa: String         // e.g. "avx512_core_bf16", "avx512_bf16", "-"
    /// Whether this precision's multiply rate beats FP32's on this CPU by the ISA table (for
    /// fp32 itself: true).
    public let fasterThanFP32ByISA: Bool

    public var available: Bool { engine != "unavailable" }
    public var summary: String { available ? "\(engine) \(isa)" : "unavailable" }
}

/// The process's dispatch decision for every precision (computed once).
public struct ComputeDispatch: Sendable, Codable, Equatable {
    public let cpu: CPUFeatures
    public let onednnVersion: String
    public let fp32: EngineChoice
    public let bf16: EngineChoice
    public let int8: EngineChoice

    public static let current = ComputeDispatch(cpu: .current, onednnISA: String(cString: docket_dnnl_isa_name()),
                                                bf16Kernel: BF16Support.isAvailable, int8Kernel: Int8Support.isAvailable)

    /// The decision for `cpu`, given oneDNN's effective ISA and whether Docket's bf16 / int8
    /// kernels can run (they check the same cpuid bits, plus DOCKET_DISABLE_BF16/INT8).
    public init(cpu: CPUFeatures, onednnISA: String, bf16Kernel: Bool, int8Kernel: Bool) {
        self.cpu = cpu
        let v = Int(docket_dnnl_version())
        onednnVersion = "\(v / 10000).\(v / 100 % 100).\(v % 100)"
        fp32 = EngineChoice(precision: "fp32", engine: "onednn", isa: onednnISA, fasterThanFP32ByISA: true)
        // vdpbf16ps runs at the FMA rate (twice the FP32 flops) on AMD Zen 4/5 and on Intel
        // with AMX; Intel cores without AMX issue it at half rate: no faster than FP32.
        let bf16Wins = cpu.vendor != "intel" || cpu.has("amx_bf16")
        bf16 = bf16Kernel ? EngineChoice(precision: "bf16", engine: "docket", isa: "avx512_bf16", fasterThanFP32ByISA: bf16Wins)
            : EngineChoice(precision: "bf16", engine: "unavailable", isa: "-", fasterThanFP32ByISA: false)
        // vpdpbusd: 4× the multiply-adds of an FP32 FMA per instruction on every VNNI CPU.
        int8 = int8Kernel ? EngineChoice(precision: "int8", engine: "docket", isa: "avx512_vnni", fasterThanFP32ByISA: true)
            : EngineChoice(precision: "int8", engine: "unavailable", isa: "-", fasterThanFP32ByISA: false)
    }

    /// Whether the FP32 path is the widest oneDNN kernel family the CPU allows: on a CPU with
    /// AVX-512 it must be an avx512 kernel, on one with AVX2 at least avx2 (not SSE/AVX).
    /// ONEDNN_MAX_CPU_ISA may cap it on purpose; `capped` says so.
    public var fp32MatchesCPU: Bool {
        if cpu.has("avx512f") && cpu.has("avx512bw") && cpu.has("avx512vl") { return fp32.isa.hasPrefix("avx512") }
        if cpu.has("avx2") { return fp32.isa.hasPrefix("avx2") || fp32.isa.hasPrefix("avx512") }
        return true
    }

    /// Lines for `docket inspect --system` and benchmark output.
    public var lines: [String] {
        let cpuName = cpu.brand.isEmpty ? "unknown" : cpu.brand
        return [
            "cpu: \(cpuName) (\(cpu.vendor) family \(cpu.family) model \(cpu.model))",
            "cpu features: \(cpu.flags.joined(separator: " "))",
            "fp32: \(fp32.summary) (oneDNN \(onednnVersion) dnnl_sgemm)",
            "bf16: \(bf16.summary)" + (bf16.available ? (bf16.fasterThanFP32ByISA ? "" : " (not faster than fp32 on this CPU)") : ""),
            "int8: \(int8.summary)",
        ]
    }

    /// One line: "fp32 onednn avx512_core_bf16, bf16 docket avx512_bf16, int8 docket avx512_vnni".
    public var summary: String {
        "fp32 \(fp32.summary), bf16 \(bf16.summary), int8 \(int8.summary)"
    }
}

/// What `--precision auto` runs on this CPU, decided once per process: among the reduced
/// precisions the ISA table allows (available, and a multiply rate above FP32's), the one
/// whose linear forward measured fastest against the FP32 linear at an encoder shape
/// (256 rows, 384→1536, alternated best-of-5, ~30 ms), if it is at least 1.15× FP32;
/// otherwise FP32. The choice therefore never runs slower than FP32 on the running CPU.
public struct AutoPrecision: Sendable, Codable, Equatable {
    public let precision: String              // "fp32", "bf16" or "int8"
    /// Measured speed of each candidate's linear forward relative to FP32's (fp32 = 1).
    public let speedups: [String: Double]

    public static let minimumSpeedup = 1.15

    /// Measured on first use.
    public static let current: AutoPrecision = measure(dispatch: .current)

    static func measure(dispatch: ComputeDispatch) -> AutoPrecision {
        let candidates = [dispatch.int8, dispatch.bf16].filter { $0.available && $0.fasterThanFP32ByISA }
        guard !candidates.isEmpty else { return AutoPrecision(precision: "fp32", speedups: ["fp32": 1]) }
        let (r, i, o) = (256, 384, 1536)
        let x = BestTime.filledBuffer(r * i, seed: 1, scale: 1), w = BestTime.filledBuffer(o * i, seed: 2)
        let b = BestTime.filledBuffer(o, seed: 3), y = BestTime.filledBuffer(r * o, seed: 4)
        defer { for p in [x, w, b, y] { p.deallocate() } }
        var names: [String] = ["fp32"], bodies: [() -> Void] = [{
            linearForward(out: y, input: x, weight: w, bias: b, rows: r, inFeatures: i, outFeatures: o)
        }]
        for c in candidates {
            if c.precision == "int8", let weight = try? Int8Weight(weight: w, outFeatures: o, inFeatures: i) {
                names.append("int8"); bodies.append { _ = try? int8LinearForward(out: y, input: x, weight: weight, bias: b, rows: r) }
            } else if c.precision == "bf16", let weight = try? BF16Weight(weight: w, outFeatures: o, inFeatures: i) {
                names.append("bf16"); bodies.append { _ = try? bf16LinearForward(out: y, input: x, weight: weight, bias: b, rows: r) }
            }
        }
        let times = BestTime.alternating(minRuns: 5, minSeconds: 0, bodies)
        var speedups: [String: Double] = [:]
        for (n, t) in zip(names, times) { speedups[n] = times[0] / t }
        let best = names.dropFirst().max { speedups[$0, default: 0] < speedups[$1, default: 0] }
        if let best, speedups[best, default: 0] >= minimumSpeedup {
            return AutoPrecision(precision: best, speedups: speedups)
        }
        return AutoPrecision(precision: "fp32", speedups: speedups)
    }
}
