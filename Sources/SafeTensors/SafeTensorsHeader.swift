// The safetensors header model and its validation (DESIGN.md §4). Mirrors the reference Rust
// crate (huggingface/safetensors, `Metadata::validate`): entries may appear in any order in the
// JSON, but sorted by data_offsets they must tile the data section exactly — no overlap, no
// gap, nothing left over — and each range must hold product(shape) × dtype size bytes.
import DocketBase

/// Element types defined by the safetensors format.
public enum DType: String, CaseIterable, Sendable {
    case bool = "BOOL", u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32"
    case f64 = "F64", i64 = "I64", u64 = "U64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .f64, .i64, .u64: return 8
        }
    }

    /// Whether `SafeTensorsFile.floats` can convert this dtype to Float32.
    public var isReadableAsFloat: Bool {
        switch self {
        case .f32, .f16, .bf16, .f64, .i64, .i32: return true
        default: return false
        }
    }
}

/// One tensor's header entry. `byteOffset` is relative to the start of the data section.
public struct TensorInfo: Equatable, Sendable {
    public let name: String
    public let dtype: DType
    public let shape: [Int]
    /// product(shape); 1 for a scalar (shape []).
    public let count: Int
    public let byteOffset: Int
    public let byteCount: Int
}

/// A validated header: tensors in file (JSON) order plus the string metadata.
struct SafeTensorsHeader {
    var tensors: [TensorInfo]
    var metadata: [String: String]

    /// Parses and validates header bytes against a data section of `dataLength` bytes.
    static func parse(_ bytes: UnsafeRawBufferPointer, dataLength: Int, file: String) throws(SafeTensorsError) -> SafeTensorsHeader {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .invalidHeaderJSON(file: file, detail: "header is not valid UTF-8")
        }
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch {
            throw .invalidHeaderJSON(file: file, detail: "\(error.message) at header byte \(error.offset)")
        }
        guard case let .object(members) = root else {
            throw .invalidHeaderJSON(file: file, detail: "header is not a JSON object")
        }
        var seen = Set<String>()
        var header = SafeTensorsHeader(tensors: [], metadata: [:])
        for (key, value) in members {
            guard seen.insert(key).inserted else { throw .duplicateName(file: file, name: key) }
            if key == "__metadata__" {
                header.metadata = try parseMetadata(value, file: file)
            } else {
                header.tensors.append(try parseEntry(name: key, value, dataLength: dataLength, file: file))
            }
        }
        try checkTiling(header.tensors, dataLength: dataLength, file: file)
        return header
    }

    private static func parseMetadata(_ value: JSONValue, file: String) throws(SafeTensorsError) -> [String: String] {
        guard case let .object(members) = value else {
            throw .invalidHeaderJSON(file: file, detail: "__metadata__ is not an object of strings")
        }
        var out: [String: String] = [:]
        for (k, v) in members {
            guard case let .string(s) = v else {
                throw .invalidHeaderJSON(file: file, detail: "__metadata__['\(k)'] is not a string")
            }
            guard out.updateValue(s, forKey: k) == nil else {
                throw .invalidHeaderJSON(file: file, detail: "__metadata__ key '\(k)' appears more than once")
            }
        }
        return out
    }

    /// Validates one entry on its own: fields, dtype, shape, offsets within the data, size.
    private static func parseEntry(name: String, _ value: JSONValue, dataLength: Int, file: String) throws(SafeTensorsError) -> TensorInfo {
        guard case let .object(fields) = value else {
            throw .invalidEntry(file: file, name: name, detail: "entry is not a JSON object")
        }
        func field(_ key: String) -> JSONValue? { fields.first { $0.key == key }?.value }
        guard case let .string(dtypeName)? = field("dtype") else {
            throw .invalidEntry(file: file, name: name, detail: "missing or non-string 'dtype'")
        }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw .unknownDType(file: file, name: name, dtype: dtypeName)
        }
        guard case let .array(dims)? = field("shape") else {
            throw .invalidEntry(file: file, name: name, detail: "missing or non-array 'shape'")
        }
        var shape: [Int] = []
        for d in dims {
            guard let n = nonNegativeInt(d) else {
                throw .invalidEntry(file: file, name: name, detail: "shape entries must be non-negative integers")
            }
            shape.append(n)
        }
        guard case let .array(offs)? = field("data_offsets"), offs.count == 2,
              let begin = nonNegativeInt(offs[0]), let end = nonNegativeInt(offs[1]) else {
            throw .invalidEntry(file: file, name: name, detail: "'data_offsets' must be [begin, end] of non-negative integers")
        }
        guard begin <= end else { throw .badOffsets(file: file, name: name, begin: begin, end: end, detail: "begin is after end") }
        guard end <= dataLength else {
            throw .badOffsets(file: file, name: name, begin: begin, end: end, detail: "beyond the \(dataLength)-byte data section")
        }
        var count = 1
        for d in shape {
            let (p, o) = count.multipliedReportingOverflow(by: d)
            guard !o else { throw .shapeMismatch(file: file, name: name, shape: shape, dtype: dtypeName, detail: "element count overflows") }
            count = p
        }
        let (bytes, o) = count.multipliedReportingOverflow(by: dtype.size)
        guard !o, bytes == end - begin else {
            throw .shapeMismatch(file: file, name: name, shape: shape, dtype: dtypeName,
                                 detail: "needs \(o ? "more than Int.max" : String(bytes)) bytes but data_offsets span \(end - begin)")
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, count: count, byteOffset: begin, byteCount: end - begin)
    }

    /// Sorted by (begin, end), the ranges must start at 0, touch without overlap and end at dataLength.
    private static func checkTiling(_ tensors: [TensorInfo], dataLength: Int, file: String) throws(SafeTensorsError) {
        let sorted = tensors.sorted { ($0.byteOffset, $0.byteCount) < ($1.byteOffset, $1.byteCount) }
        var covered = 0
        var previous: TensorInfo?
        for t in sorted {
            if t.byteOffset < covered, let p = previous { throw .overlap(file: file, first: p.name, second: t.name) }
            if t.byteOffset > covered {
                throw .badOffsets(file: file, name: t.name, begin: t.byteOffset, end: t.byteOffset + t.byteCount,
                                  detail: "bytes \(covered)..<\(t.byteOffset) before it belong to no tensor")
            }
            covered = t.byteOffset + t.byteCount
            previous = t
        }
        guard covered == dataLength else { throw .trailingBytes(file: file, covered: covered, dataLength: dataLength) }
    }

    /// A JSON integer ≥ 0 that fits in Int (no sign, fraction or exponent).
    private static func nonNegativeInt(_ v: JSONValue) -> Int? {
        guard case let .number(text) = v, !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }
}
