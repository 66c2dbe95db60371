// Atomic file writes: write a temp file beside the target, flush it, then rename over the
// target, so an interrupted run never leaves a half-written checkpoint or output.
import Foundation

public enum AtomicFile {
    /// Writes `data` to `url` through a hidden temp file beside it + fsync + rename
    /// (AtomicFileWriter). Errors are `FileError.io` naming the file and the cause.
    public static func write(_ data: Data, to url: URL) throws {
        let out = try AtomicFileWriter(url: url)
        try out.write(data)
        try out.commit()
    }

    /// Writes a UTF-8 string atomically.
    public static func write(_ text: String, to url: URL) throws { try write(Data(text.utf8), to: url) }
}
