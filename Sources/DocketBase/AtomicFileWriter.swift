// Streaming atomic writes: bytes go to a hidden temp file beside the target; `commit()` flushes
// and renames it over the target, `abort()` (or deinit without commit) removes it. Used for
// checkpoints too large to build in memory and for streamed outputs (classify --output).
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public final class AtomicFileWriter {
    public let url: URL
    private let tempPath: String
    private var fd: Int32
    private var finished = false

    /// Creates the parent directory if needed and opens the temp file.
    public init(url: URL) throws {
        self.url = url
        let dir = url.deletingLastPathComponent()
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw FileError.io(file: url.path, message: "cannot create its directory: \(FileProblem.writing(dir.path, error: error))")
        }
        Self.removeStaleTemporaries(of: url)
        tempPath = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        fd = open(tempPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.error(url.path, "cannot create a file in \(dir.path)") }
    }

    deinit { if !finished { abort() } }

    /// Appends raw bytes (retrying short writes).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !finished else { throw Self.error(url.path, "write after commit/abort") }
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.error(url.path, "write failed")
            }
            done += n
        }
    }

    public func write(_ data: Data) throws { try data.withUnsafeBytes { try write($0) } }
    public func write(_ text: String) throws { try write(Data(text.utf8)) }

    /// fsyncs, closes and renames the temp file over the target.
    public func commit() throws {
        guard !finished else { return }
        finished = true
        fsync(fd)
        close(fd)
        if rename(tempPath, url.path) != 0 {
            let e = Self.error(url.path, "cannot rename \(tempPath) to \(url.path)")
            unlink(tempPath)
            throw e
        }
    }

    /// Closes and deletes the temp file; the target is left untouched.
    public func abort() {
        guard !finished else { return }
        finished = true
        close(fd)
        unlink(tempPath)
    }

    /// Removes `.<name>.tmp-<pid>-<n>` files beside `url` left by killed writers (their pid no
    /// longer exists), so a `kill -9` during `classify --output` leaves nothing behind for long.
    static func removeStaleTemporaries(of url: URL) {
        let dir = url.deletingLastPathComponent().path
        let prefix = ".\(url.lastPathComponent).tmp-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0 else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH { unlink(dir + "/" + name) }
        }
    }

    private static func error(_ path: String, _ what: String) -> FileError {
        .io(file: path, message: "\(what): \(String(cString: strerror(errno)))")
    }
}
