// A memory-mapped, fully validated safetensors file (DESIGN.md §4). The header is parsed and
// every entry checked before any tensor byte is read; tensors are converted to float32 only
// when asked for, straight from the mapping.
import DocketBase
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a safetensors file. Immutable after init, so it is safe to share across threads.
public final class SafeTensorsFile: @unchecked Sendable {
    /// Header length cap, as the reference Rust crate (MAX_HEADER_SIZE = 100_000_000).
    public static let maxHeaderLength = 100_000_000

    public let url: URL
    /// Tensor names in the order they appear in the header.
    public let names: [String]
    /// The `__metadata__` string map (empty when absent).
    public let metadata: [String: String]
    /// Header entries in file order.
    public let tensors: [TensorInfo]
    /// Size of the whole file in bytes.
    public let fileSize: Int

    private let index: [String: Int]
    private let mapping: UnsafeMutableRawPointer?
    /// Start of the data section inside the mapping (8 + header length).
    private let dataStart: Int

    public init(contentsOf url: URL) throws {
        let file = url.path
        self.url = url
        let fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC)  // a FIFO must not block: refused below
        guard fd >= 0 else { throw SafeTensorsError.io(file: file, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SafeTensorsError.io(file: file, message: "cannot stat: \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw SafeTensorsError.io(file: file, message: "not a regular file") }
        let size = Int(st.st_size)
        guard size >= 8 else {
            throw SafeTensorsError.truncated(file: file, detail: "\(size) bytes, shorter than the 8-byte header length")
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw SafeTensorsError.io(file: file, message: "cannot memory-map: \(String(cString: strerror(errno)))")
        }
        do {
            let header = try Self.readHeader(UnsafeRawBufferPointer(start: base, count: size), file: file)
            (self.tensors, self.metadata, self.dataStart) = header
        } catch {
            munmap(base, size)
            throw error
        }
        self.mapping = base
        self.fileSize = size
        self.names = tensors.map(\.name)
        self.index = Dictionary(tensors.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    deinit {
        if let mapping { munmap(mapping, fileSize) }
    }

    /// Validates the length prefix and header; returns entries, metadata and the data start.
    private static func readHeader(_ buf: UnsafeRawBufferPointer, file: String) throws(SafeTensorsError) -> ([TensorInfo], [String: String], Int) {
        let n = buf.loadUnaligned(as: UInt64.self).littleEndian
        guard n <= UInt64(maxHeaderLength) else { throw .headerTooLarge(file: file, length: n, limit: maxHeaderLength) }
        let headerLength = Int(n)
        guard 8 + headerLength <= buf.count else {
            throw .truncated(file: file, detail: "header claims \(headerLength) bytes but only \(buf.count - 8) follow the length")
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: buf[8..<(8 + headerLength)])
        let header = try SafeTensorsHeader.parse(headerBytes, dataLength: buf.count - 8 - headerLength, file: file)
        return (header.tensors, header.metadata, 8 + headerLength)
    }

    /// The header entry of `name`.
    public func info(_ name: String) throws -> TensorInfo {
        guard let i = index[name] else { throw SafeTensorsError.unknownTensor(file: url.path, name: name) }
        return tensors[i]
    }

    /// Whether the file holds a tensor called `name`.
    public func contains(_ name: String) -> Bool { index[name] != nil }

    /// The tensor converted to float32 (F32 copied; F16/BF16 converted exactly; F64/I64/I32 rounded).
    public func floats(_ name: String) throws -> [Float] {
        let t = try info(name)
        guard t.dtype.isReadableAsFloat else { throw SafeTensorsError.unsupportedDType(file: url.path, name: name, dtype: t.dtype.rawValue) }
        return try [Float](unsafeUninitializedCapacity: t.count) { buf, initialized in
            if let p = buf.baseAddress { try copyFloats(name, into: p, count: t.count) }
            initialized = t.count
        }
    }

    /// Converts the tensor into `pointer[0..<count]`; `count` must equal the element count.
    public func copyFloats(_ name: String, into pointer: UnsafeMutablePointer<Float>, count: Int) throws {
        let t = try info(name)
        guard count == t.count else { throw SafeTensorsError.countMismatch(file: url.path, name: name, expected: t.count, given: count) }
        guard count > 0, let mapping else { return }
        let start = mapping + dataStart + t.byteOffset
        guard FloatConversion.convert(t.dtype, from: start, to: pointer, count: count) else {
            throw SafeTensorsError.unsupportedDType(file: url.path, name: name, dtype: t.dtype.rawValue)
        }
        // Drop the copied bytes' pages, so a load holds the parameters plus about one tensor of
        // the file instead of both in full (the private read-only mapping faults them back in
        // from the file if read again).
        ResidentPages.drop(start, byteCount: t.byteCount)
    }

    /// Calls `body` with the tensor's raw stored bytes (valid only during the call).
    public func withRawBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let t = try info(name)
        guard let mapping else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: mapping + dataStart + t.byteOffset, count: t.byteCount))
    }
}
