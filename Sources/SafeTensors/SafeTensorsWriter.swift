// Writes safetensors files readable by the Python/Rust `safetensors` packages: tensors in the
// caller's order (deterministic), JSON header padded with spaces to a multiple of 8 bytes so
// the data section is 8-byte aligned (as the Rust crate does), written atomically.
import DocketBase
import Foundation

public enum SafeTensorsWriter {
    /// Storage dtypes the writer produces.
    public enum StorageType: Sendable {
        case f32
        /// bfloat16 with round-to-nearest-even (PyTorch's `.to(torch.bfloat16)`).
        case bf16

        var dtype: DType { self == .f32 ? .f32 : .bf16 }
    }

    public typealias Tensor = (name: String, shape: [Int], data: UnsafeBufferPointer<Float>)

    /// Writes `tensors` (in order) and `metadata` to `url` through a temp file + rename.
    public static func write(_ tensors: [Tensor], metadata: [String: String] = [:], to url: URL,
                             dtype: StorageType = .f32) throws {
        let header = try headerBytes(tensors, metadata: metadata, dtype: dtype.dtype, file: url.path)
        let out = try AtomicFileWriter(url: url)
        var length = UInt64(header.count).littleEndian
        try withUnsafeBytes(of: &length) { try out.write($0) }
        try header.withUnsafeBytes { try out.write($0) }
        for t in tensors { try writeData(t.data, as: dtype, to: out) }
        try out.commit()
    }

    /// Builds the padded header: `{"__metadata__":{...},"name":{"dtype":..,"shape":..,"data_offsets":[b,e]},...}`.
    static func headerBytes(_ tensors: [Tensor], metadata: [String: String], dtype: DType, file: String) throws -> [UInt8] {
        var json = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let items = metadata.sorted { $0.key < $1.key }.map { "\(JSONParser.quote($0.key)):\(JSONParser.quote($0.value))" }
            parts.append("\"__metadata__\":{\(items.joined(separator: ","))}")
        }
        var seen = Set<String>()
        var offset = 0
        for t in tensors {
            guard t.name != "__metadata__", seen.insert(t.name).inserted else {
                throw SafeTensorsError.duplicateName(file: file, name: t.name)
            }
            var count = 1
            for d in t.shape {
                let (p, o) = count.multipliedReportingOverflow(by: d)
                guard d >= 0, !o else { throw SafeTensorsError.invalidEntry(file: file, name: t.name, detail: "invalid shape \(t.shape)") }
                count = p
            }
            guard count == t.data.count else {
                throw SafeTensorsError.shapeMismatch(file: file, name: t.name, shape: t.shape, dtype: dtype.rawValue,
                                                     detail: "shape holds \(count) elements but \(t.data.count) were given")
            }
            let end = offset + count * dtype.size
            let shape = t.shape.map(String.init).joined(separator: ",")
            parts.append("\(JSONParser.quote(t.name)):{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        json += parts.joined(separator: ",") + "}"
        var bytes = Array(json.utf8)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8))
        return bytes
    }

    /// Streams one tensor's elements, converting to BF16 in 64K-element chunks when asked.
    private static func writeData(_ data: UnsafeBufferPointer<Float>, as dtype: StorageType, to out: AtomicFileWriter) throws {
        guard let base = data.baseAddress, data.count > 0 else { return }
        switch dtype {
        case .f32:
            try out.write(UnsafeRawBufferPointer(start: base, count: data.count * 4))
        case .bf16:
            let chunk = 65_536
            var buffer = [UInt16](repeating: 0, count: chunk)
            var start = 0
            while start < data.count {
                let n = min(chunk, data.count - start)
                for i in 0..<n { buffer[i] = FloatConversion.floatToBF16(base[start + i]).littleEndian }
                try buffer.withUnsafeBytes { try out.write(UnsafeRawBufferPointer(rebasing: $0[0..<(2 * n)])) }
                start += n
            }
        }
    }
}
