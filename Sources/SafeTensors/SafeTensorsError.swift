// Typed errors of the safetensors reader and writer. Every case names the file it concerns,
// so a message printed by the CLI says which file is bad and what is wrong with it.
import Foundation

public enum SafeTensorsError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file could not be opened, sized, mapped or written.
    case io(file: String, message: String)
    /// The file ends before the 8-byte length prefix or before the header it announces.
    case truncated(file: String, detail: String)
    /// The header length prefix exceeds the 100 MB cap (mirrors the Rust crate's MAX_HEADER_SIZE).
    case headerTooLarge(file: String, length: UInt64, limit: Int)
    /// The header is not valid UTF-8, not JSON, or not a JSON object.
    case invalidHeaderJSON(file: String, detail: String)
    /// An entry lacks a field, or a field has the wrong type (e.g. a negative shape).
    case invalidEntry(file: String, name: String, detail: String)
    /// The dtype string is not one the safetensors format defines.
    case unknownDType(file: String, name: String, dtype: String)
    /// The same tensor name appears twice in the header (or twice in a writer's input).
    case duplicateName(file: String, name: String)
    /// data_offsets are reversed, beyond the data section, or leave a gap.
    case badOffsets(file: String, name: String, begin: Int, end: Int, detail: String)
    /// The byte range does not hold product(shape) × dtype size bytes (or that product overflows).
    case shapeMismatch(file: String, name: String, shape: [Int], dtype: String, detail: String)
    /// Two tensors' byte ranges overlap.
    case overlap(file: String, first: String, second: String)
    /// The data section holds bytes that belong to no tensor (the Rust crate's MetadataIncompleteBuffer).
    case trailingBytes(file: String, covered: Int, dataLength: Int)
    /// The tensor's dtype cannot be converted to Float32.
    case unsupportedDType(file: String, name: String, dtype: String)
    /// No tensor of that name in the file.
    case unknownTensor(file: String, name: String)
    /// A caller's buffer size does not match the tensor's element count.
    case countMismatch(file: String, name: String, expected: Int, given: Int)

    public var description: String {
        switch self {
        case let .io(file, message):
            return "\(file): \(message)"
        case let .truncated(file, detail):
            return "\(file): truncated safetensors file: \(detail)"
        case let .headerTooLarge(file, length, limit):
            return "\(file): safetensors header length \(length) exceeds the \(limit)-byte limit"
        case let .invalidHeaderJSON(file, detail):
            return "\(file): invalid safetensors header: \(detail)"
        case let .invalidEntry(file, name, detail):
            return "\(file): tensor '\(name)': \(detail)"
        case let .unknownDType(file, name, dtype):
            return "\(file): tensor '\(name)': unknown dtype '\(dtype)'"
        case let .duplicateName(file, name):
            return "\(file): tensor name '\(name)' appears more than once"
        case let .badOffsets(file, name, begin, end, detail):
            return "\(file): tensor '\(name)': bad data_offsets [\(begin), \(end)]: \(detail)"
        case let .shapeMismatch(file, name, shape, dtype, detail):
            return "\(file): tensor '\(name)' (\(dtype) \(shape)): \(detail)"
        case let .overlap(file, first, second):
            return "\(file): tensors '\(first)' and '\(second)' overlap"
        case let .trailingBytes(file, covered, dataLength):
            return "\(file): tensors cover \(covered) of \(dataLength) data bytes; the rest belongs to no tensor"
        case let .unsupportedDType(file, name, dtype):
            return "\(file): tensor '\(name)' has dtype \(dtype), which cannot be read as float32"
        case let .unknownTensor(file, name):
            return "\(file): no tensor named '\(name)'"
        case let .countMismatch(file, name, expected, given):
            return "\(file): tensor '\(name)' has \(expected) elements, buffer holds \(given)"
        }
    }
}

extension SafeTensorsError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
