// `docket bench kernels`: linear fwd+bwd vs raw sgemm, attention fwd+bwd, FP32 peak.
// Build with `swift build -c release --product docket`; Scripts/bench-kernels.sh adds PyTorch.
import ArgumentParser
import Foundation
import Kernels

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

    func run() async throws {
        guard seconds >= 0, seconds <= 60, rows > 0 else {
            throw ValidationError("--seconds must be in [0, 60] and --rows positive")
        }
        #if DEBUG
        FileHandle.standardError.write(Data("warning: debug build; build with `swift build -c release --product docket` for meaningful numbers\n".utf8))
        #endif
        var results: [KernelBenchmarkResult] = []
        for (i, o) in KernelBenchmark.linearShapes where only.map({ "linear \(i)->\(o)".contains($0) }) ?? true {
            progress("linear \(i)->\(o)")
            let (linear, sgemm) = KernelBenchmark.linear(rows: rows, inFeatures: i, outFeatures: o, minSeconds: seconds)
            results += [linear, sgemm]
        }
        if only.map({ "attention".contains($0) }) ?? true {
            progress("attention")
            results.append(KernelBenchmark.attention(minSeconds: seconds))
        }
        progress("FP32 peak")
        let peak = KernelBenchmark.machinePeak(seconds: noPeak ? 0 : seconds)
        if json { try printJSON(results, peak) } else { printTable(results, peak) }
    }

    private func progress(_ what: String) {
        if isatty(2) != 0 { FileHandle.standardError.write(Data("measuring \(what)…\n".utf8)) }
    }

    private func printJSON(_ results: [KernelBenchmarkResult], _ peak: MachinePeak) throws {
        struct Report: Encodable {
            let rows: Int; let peak: MachinePeak
            let results: [Entry]
            struct Entry: Encodable { let name: String; let gflops: Double; let milliseconds: Double; let flops: Double }
        }
        let report = Report(rows: rows, peak: peak, results: results.map {
            .init(name: $0.name, gflops: $0.gflops, milliseconds: $0.seconds * 1e3, flops: $0.flops)
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }

    private func printTable(_ results: [KernelBenchmarkResult], _ peak: MachinePeak) {
        print("\(peak.modelName), \(peak.cores) cores @ \(Int(peak.megahertz)) MHz, \(peak.vectorLanes)-lane FMA")
        let measured = peak.measuredGFLOPS > 0 ? String(format: "%.1f GFLOP/s", peak.measuredGFLOPS) : "skipped"
        print(String(format: "FP32 peak: nominal %.1f GFLOP/s at the reported clock (assuming %d FMA units/core), measured FMA loop ",
                     peak.nominalGFLOPS, peak.assumedFMAUnits) + measured)
        print(pad("operation", 46) + pad("ms", 10) + pad("GFLOP/s", 10) + "% of measured peak")
        for r in results {
            print(pad(r.name, 46) + pad(String(format: "%.2f", r.seconds * 1e3), 10)
                  + pad(String(format: "%.1f", r.gflops), 10)
                  + (peak.measuredGFLOPS > 0 ? String(format: "%.0f%%", 100 * r.gflops / peak.measuredGFLOPS) : "–"))
        }
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}
