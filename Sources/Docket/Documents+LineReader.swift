// Streaming line reader over a file descriptor: 1 MB reads, split on '\n' bytes, so memory
// stays flat however long the file is. Lines keep any trailing '\r' (callers decide).
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public final class ByteLineReader {
    static let chunkSize = 1 << 20
    /// Longest accepted line; longer ones are an error rather than an unbounded allocation.
    public static let defaultMaxLineLength = 64 << 20
    let maxLineLength: Int

    public let path: String
    private let fd: Int32
    private let ownsFD: Bool
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    /// Bytes before this index (and after `start`) are known to hold no '\n'.
    private var scanned = 0
    public private(set) var lineNumber = 0
    /// Bytes consumed so far, and the file's size when it is a regular file (for progress).
    private(set) var bytesRead = 0
    private(set) var fileSize: Int?
    /// One read's worth of bytes, allocated once.
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: ByteLineReader.chunkSize, alignment: 16)

    /// Opens `path`, or reads stdin when `path` is nil or "-" (reported as "<stdin>").
    public init(path: String?, maxLineLength: Int = ByteLineReader.defaultMaxLineLength) throws {
        self.maxLineLength = maxLineLength
        if let path, path != "-" {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw DocumentError.io(file: path, message: "cannot open: \(String(cString: strerror(errno)))") }
            self.path = path
            self.fd = fd
            ownsFD = true
            var st = stat()
            if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG { fileSize = Int(st.st_size) }
        } else {
            self.path = "<stdin>"
            fd = STDIN_FILENO
            ownsFD = false
        }
    }

    deinit {
        if ownsFD { close(fd) }
        scratch.deallocate()
    }

    /// The next line without its '\n' (nil at end of input). A UTF-8 BOM on line 1 is dropped.
    /// Fraction of the file read so far (nil for pipes and stdin).
    var fractionRead: Double? {
        guard let fileSize, fileSize > 0 else { return nil }
        return Double(bytesRead - (buffer.count - start)) / Double(fileSize)
    }

    /// True when `nextLine` can return without waiting past `deadline`: a whole line is
    /// buffered, the input has ended, or the descriptor becomes readable before then (poll).
    func inputReady(before deadline: Date) -> Bool {
        if eof || findNewline(from: max(start, scanned)) != nil { return true }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let ms = Int32(max(0, min(Double(Int32.max), deadline.timeIntervalSinceNow * 1000)).rounded(.up))
            let r = poll(&pfd, 1, ms)
            if r < 0 && errno == EINTR { continue }
            return r != 0  // readable, hung up, or an error the next read will report
        }
    }

    public func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let nl = findNewline(from: max(start, scanned)) {
                return take(upTo: nl, skip: 1)
            }
            scanned = buffer.count
            if eof {
                guard start < buffer.count else { return nil }
                return take(upTo: buffer.count, skip: 0)
            }
            guard buffer.count - start <= maxLineLength else {
                throw DocumentError.lineTooLong(file: path, line: lineNumber + 1, limit: maxLineLength)
            }
            try fill()
        }
    }

    private func take(upTo end: Int, skip: Int) -> ArraySlice<UInt8> {
        lineNumber += 1
        var line = buffer[start..<end]
        start = end + skip
        if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        return line
    }

    /// Index of the first '\n' at or after `from` (memchr: fast even in debug builds).
    private func findNewline(from: Int) -> Int? {
        guard from < buffer.count else { return nil }
        return buffer.withUnsafeBytes { b in
            guard let p = memchr(b.baseAddress! + from, 0x0A, b.count - from) else { return nil }
            return b.baseAddress!.distance(to: UnsafeRawPointer(p))
        }
    }

    /// Drops consumed bytes and appends up to one chunk read from the descriptor.
    private func fill() throws {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        var n = 0
        repeat { n = read(fd, scratch.baseAddress!, Self.chunkSize) } while n < 0 && errno == EINTR
        guard n >= 0 else { throw DocumentError.io(file: path, message: "read failed: \(String(cString: strerror(errno)))") }
        bytesRead += n
        if n == 0 { eof = true } else { buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<n])) }
    }
}

extension String {
    /// Decodes UTF-8 bytes, or nil when they are not valid UTF-8.
    init?(utf8Bytes bytes: ArraySlice<UInt8>) {
        guard let s = String(validating: bytes, as: UTF8.self) else { return nil }
        self = s
    }
}
