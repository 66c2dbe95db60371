// `docket inspect FILE [--json]`: the tensors (name, dtype, shape, parameters), totals per
// dtype and the metadata of a safetensors file. The file is fully validated first, so a
// corrupt file gets its typed error message and exit code 1. A FIFO or device is refused
// without being read. Names and metadata are printed with control characters escaped
// (a tensor name holding ESC [ ... cannot drive the terminal).
// `docket inspect --system [--json]`: the CPU's features and the process's dispatch decision
// (engine and instruction set for fp32, bf16 and int8; docs/kernels.md "Dispatch").
import ArgumentParser
import Docket
import Foundation

struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List the tensors, dtypes, shapes and metadata of a safetensors file, or (--system) the CPU and its compute dispatch.")

    @Argument(help: "A .safetensors file.")
    var file: String?

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    @Flag(help: "Print the CPU's instruction-set features and which engine and ISA each precision (fp32, bf16, int8) uses here.")
    var system = false

    func validate() throws {
        guard system != (file != nil) else { throw ValidationError("give either a .safetensors FILE or --system") }
    }

    func run() async throws {
        guard let file else {
            let dispatch = ComputeDispatch.current, auto = AutoPrecision.current
            if json {
                struct Report: Encodable { let dispatch: ComputeDispatch; let auto: AutoPrecision; let fp32MatchesCpu: Bool }
                let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]; enc.keyEncodingStrategy = .convertToSnakeCase
                print(String(decoding: try enc.encode(Report(dispatch: dispatch, auto: auto, fp32MatchesCpu: dispatch.fp32MatchesCPU)),
                             as: UTF8.self))
            } else {
                print(dispatch.lines.joined(separator: "\n"))
                let measured = auto.speedups.sorted { $0.key < $1.key }.map { String(format: "%@ %.2f×", $0.key, $0.value) }
                print("auto: \(auto.precision) (linear forward vs fp32, measured now: \(measured.joined(separator: ", ")))")
                if !dispatch.fp32MatchesCPU { print("warning: fp32 products run below the CPU's widest vector ISA (ONEDNN_MAX_CPU_ISA set?)") }
            }
            return
        }
        let st: SafeTensorsFile
        do { st = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw CLIError("\(error)")
        }
        print(json ? try jsonReport(st) : tableReport(st), terminator: "")
    }

    private func tableReport(_ st: SafeTensorsFile) -> String {
        let rows = st.tensors.map { t in
            [printable(t.name), t.dtype.rawValue, "[" + t.shape.map(String.init).joined(separator: ", ") + "]", String(t.count)]
        }
        let head = ["name", "dtype", "shape", "params"]
        let widths = (0..<4).map { c in ([head[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ r: [String]) -> String {
            (0..<4).map { c in c == 3 ? String(repeating: " ", count: widths[c] - r[c].count) + r[c]
                                      : r[c] + String(repeating: " ", count: widths[c] - r[c].count) }
                .joined(separator: "  ") + "\n"
        }
        var out = "\(st.url.path)\n" + line(head) + rows.map(line).joined()
        let total = st.tensors.reduce(0) { $0 + $1.count }
        out += "\n\(count(st.tensors.count, "tensor")), \(count(total, "parameter")), \(count(st.fileSize, "byte"))\n"
        for (dtype, ts) in Dictionary(grouping: st.tensors, by: \.dtype).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            out += "  \(dtype.rawValue): \(count(ts.count, "tensor")), \(count(ts.reduce(0) { $0 + $1.count }, "parameter")), \(count(ts.reduce(0) { $0 + $1.byteCount }, "byte"))\n"
        }
        if !st.metadata.isEmpty {
            out += "metadata:\n" + st.metadata.sorted { $0.key < $1.key }.map { "  \(printable($0.key)): \(printable($0.value))\n" }.joined()
        }
        return out
    }

    /// `s` with control characters (C0, DEL, C1) written as \u{XX} escapes.
    func printable(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if u.value < 0x20 || (0x7F...0x9F).contains(u.value) { out += "\\u{\(String(u.value, radix: 16))}" }
            else { out.unicodeScalars.append(u) }
        }
        return out
    }

    private func jsonReport(_ st: SafeTensorsFile) throws -> String {
        let tensors: [[String: Any]] = st.tensors.map {
            ["name": $0.name, "dtype": $0.dtype.rawValue, "shape": $0.shape, "params": $0.count,
             "data_offsets": [$0.byteOffset, $0.byteOffset + $0.byteCount]]
        }
        let doc: [String: Any] = [
            "file": st.url.path, "file_bytes": st.fileSize, "tensors": tensors,
            "tensor_count": st.tensors.count, "total_params": st.tensors.reduce(0) { $0 + $1.count },
            "metadata": st.metadata,
        ]
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
