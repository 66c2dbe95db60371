// `docket bench kernels`: linear fwd+bwd vs raw sgemm, attention fwd+bwd, FP32 peak; with
// --bf16, the bf16 linear forward vs FP32 (all cores and one core) and the bf16 peak per core;
// with --int8, the int8 linear forward vs bf16 and FP32 and the int8 peak per core.
// Build with `swift build -c release --product docket`; Scripts/bench/bench-kernels.sh adds PyTorch.
import ArgumentParser
import Docket
import DocketBench
import Foundation

struct BenchKernelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels", abstract: "Benchmark linear and attention kernels (GFLOP/s) and the FP32 peak.")

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "Minimum seconds measured per operation (best run is reported).")
    var seconds: Double = 0.5

    @Option(help: "Rows (B·T) for the linear shapes.")
    var rows: Int = 2048

    @Option(help: "Only run operations whose name contains this text (e.g. attention, 768->3072).")
    var only: String?

    @Flag(help: "Skip the FP32 peak measurement.")
    var noPeak = false

    @Flag(help: "Also measure the bf16 linear forward against FP32 at the encoder shapes (AVX512_BF16 CPUs).")
    var bf16 = false

    @Flag(help: "Also measure the int8 linear forward against bf16 and FP32 at the encoder shapes (AVX512_VNNI CPUs).")
    var int8 = false

    func run() async throws {
        try FlagLimits.check(rows, "--rows", FlagLimits.batchSize)
        guard seconds >= 0, seconds <= 60, rows > 0 else {
            throw ValidationError("--seconds must be in [0, 60] and --rows positive")
        }
        #if DEBUG
        FileHandle.standardError.write(Data("warning: debug build; build with `swift build -c release --product docket` for meaningful numbers\n".utf8))
        #endif
        var results: [KernelBenchmarkResult] = []
        let shapes = KernelBenchmark.linearShapes.filter { s in only.map { "linear \(s.0)->\(s.1)".contains($0) } ?? true }
        for (i, o) in shapes {
            progress("linear \(i)->\(o)")
            results.append(KernelBenchmark.linear(rows: rows, inFeatures: i, outFeatures: o, minSeconds: seconds))
        }
        if only.map({ "attention".contains($0) }) ?? true {
            progress("attention")
            results.append(KernelBenchmark.attention(minSeconds: seconds))
        }
        // Raw oneDNN with its OpenMP threads last (KernelBenchmark.rawSgemm), listed beside each linear.
        for (n, (i, o)) in shapes.enumerated() {
            progress("dnnl_sgemm \(i)->\(o)")
            results.insert(KernelBenchmark.rawSgemm(rows: rows, inFeatures: i, outFeatures: o, minSeconds: seconds), at: 2 * n + 1)
        }
        var bf16Peak = 0.0, int8Peak = 0.0
        if int8 {
            guard Int8Support.isAvailable else {
                throw CLIError("--int8: this CPU lacks AVX512_VNNI (or DOCKET_DISABLE_INT8=1 is set)")
            }
            for (i, o) in KernelBenchmark.bf16Shapes where only.map({ "int8 linear \(i)->\(o)".contains($0) }) ?? true {
                progress("int8 linear \(i)->\(o)")
                results += KernelBenchmark.int8Linear(rows: rows, inFeatures: i, outFeatures: o, minSeconds: seconds)
            }
            progress("int8 peak")
            int8Peak = KernelBenchmark.int8PeakPerCore(seconds: noPeak ? 0 : seconds)
        }
        if bf16 {
            guard BF16Support.isAvailable else {
                throw CLIError("--bf16: this CPU lacks AVX512_BF16 (or DOCKET_DISABLE_BF16=1 is set)")
            }
            // --int8 rows already hold bf16 at the same shapes.
            for (i, o) in KernelBenchmark.bf16Shapes where !int8 && (only.map({ "bf16 linear \(i)->\(o)".contains($0) }) ?? true) {
                progress("bf16 linear \(i)->\(o)")
                results += KernelBenchmark.bf16Linear(rows: rows, inFeatures: i, outFeatures: o, minSeconds: seconds)
            }
            progress("bf16 peak")
            bf16Peak = KernelBenchmark.bf16PeakPerCore(seconds: noPeak ? 0 : seconds)
        }
        progress("FP32 peak")
        let peak = KernelBenchmark.machinePeak(seconds: noPeak ? 0 : seconds)
        if json { try printJSON(results, peak, bf16Peak, int8Peak) } else { printTable(results, peak, bf16Peak, int8Peak) }
    }

    private static let renderer = ProgressRenderer()

    /// On a terminal, one line per measurement through the shared renderer; piped, silent.
    private func progress(_ what: String) {
        if Self.renderer.isTerminal { Self.renderer.line("measuring \(what)…") }
    }

    private func printJSON(_ results: [KernelBenchmarkResult], _ peak: MachinePeak, _ bf16Peak: Double,
                           _ int8Peak: Double) throws {
        struct Report: Encodable {
            let rows: Int; let dispatch: ComputeDispatch; let peak: MachinePeak; let bf16PeakPerCoreGFLOPS: Double; let int8PeakPerCoreGOPS: Double
            let results: [Entry]
            struct Entry: Encodable { let name: String; let gflops: Double; let milliseconds: Double; let flops: Double }
        }
        let report = Report(rows: rows, dispatch: .current, peak: peak, bf16PeakPerCoreGFLOPS: bf16Peak, int8PeakPerCoreGOPS: int8Peak, results: results.map {
            .init(name: $0.name, gflops: $0.gflops, milliseconds: $0.seconds * 1e3, flops: $0.flops)
        })
        print(try BenchJSON.line(report))
    }

    private func printTable(_ results: [KernelBenchmarkResult], _ peak: MachinePeak, _ bf16Peak: Double,
                            _ int8Peak: Double) {
        print("\(peak.modelName), \(peak.cores) cores @ \(Int(peak.megahertz)) MHz, \(peak.vectorLanes)-lane FMA")
        print("dispatch: \(ComputeDispatch.current.summary)")
        let measured = peak.measuredGFLOPS > 0 ? String(format: "%.1f GFLOP/s", peak.measuredGFLOPS) : "skipped"
        print(String(format: "FP32 peak: nominal %.1f GFLOP/s at the reported clock (assuming %d FMA units/core), measured FMA loop ",
                     peak.nominalGFLOPS, peak.assumedFMAUnits) + measured)
        if bf16Peak > 0 {
            print(String(format: "BF16 peak (vdpbf16ps loop, 1 core): %.1f GFLOP/s; bf16 rows: %% of that × cores used", bf16Peak))
        }
        if int8Peak > 0 {
            print(String(format: "INT8 peak (vpdpbusd loop, 1 core): %.1f GOP/s; int8 rows: GOP/s, %% of that × cores used", int8Peak))
        }
        print(pad("operation", 46) + pad("ms", 10) + pad("GFLOP/s", 10) + "% of measured peak")
        for r in results {
            print(pad(r.name, 46) + pad(String(format: "%.2f", r.seconds * 1e3), 10)
                  + pad(String(format: "%.1f", r.gflops), 10) + percent(r, peak, bf16Peak, int8Peak))
        }
    }

    /// Share of the matching peak: bf16 / int8 rows against the bf16 / int8 peak (× cores
    /// unless "1 core"), the others against the measured FP32 peak (all cores, or per core for
    /// "1 core" rows).
    private func percent(_ r: KernelBenchmarkResult, _ peak: MachinePeak, _ bf16Peak: Double, _ int8Peak: Double) -> String {
        let oneCore = r.name.hasSuffix("1 core"), cores = oneCore ? 1 : Double(peak.cores)
        let reference = r.name.hasPrefix("bf16") ? bf16Peak * cores : r.name.hasPrefix("int8") ? int8Peak * cores
            : peak.measuredGFLOPS / (oneCore ? Double(peak.cores) : 1)
        return reference > 0 ? String(format: "%.0f%%", 100 * r.gflops / reference) : "–"
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}
