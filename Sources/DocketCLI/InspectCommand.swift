// `docket inspect FILE [--json]`: the tensors (name, dtype, shape, parameters), totals per
// dtype and the metadata of a safetensors file. The file is fully validated first, so a
// corrupt file gets its typed error message and exit code 1.
import ArgumentParser
import Foundation
import SafeTensors

struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List the tensors, dtypes, shapes and metadata of a safetensors file.")

    @Argument(help: "A .safetensors file.")
    var file: String

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    func run() async throws {
        let st: SafeTensorsFile
        do { st = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw CLIError("\(error)")
        }
        print(json ? try jsonReport(st) : tableReport(st), terminator: "")
    }

    private func tableReport(_ st: SafeTensorsFile) -> String {
        let rows = st.tensors.map { t in
            [t.name, t.dtype.rawValue, "[" + t.shape.map(String.init).joined(separator: ", ") + "]", String(t.count)]
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
            out += "metadata:\n" + st.metadata.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)\n" }.joined()
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
