// The JSONL training log: one line per optimizer step
//   {"type":"step","step":..,"epoch":..,"loss":..,"lr":..,"grad_norm":..,"seq_per_s":..}
// and one per dev evaluation
//   {"type":"eval","step":..,"epoch":..,"loss":..,"accuracy":..,"macro_f1":..,"best":..}
// On resume the file is cut back to the length recorded with the saved state, so steps
// replayed after a kill appear once.
import DocketBase
import Foundation

public final class TrainingLog {
    public let url: URL
    private let handle: FileHandle
    public private(set) var bytesWritten: UInt64

    /// Opens (creating) the log; `truncateTo` keeps that many bytes (resume) or 0 (fresh run).
    public init(url: URL, truncateTo length: UInt64) throws {
        self.url = url
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !fm.fileExists(atPath: url.path) { _ = fm.createFile(atPath: url.path, contents: nil) }
            handle = try FileHandle(forUpdating: url)
            try handle.truncate(atOffset: length)
            try handle.seekToEnd()
        } catch { throw TrainingError.io(file: url.path, message: "cannot open the training log: \(FileProblem.writing(url.path, error: error))") }
        bytesWritten = length
    }

    deinit { try? handle.close() }

    public func write(_ fields: [(String, LogValue)]) throws {
        let body = fields.map { "\"\($0.0)\":\($0.1.json)" }.joined(separator: ",")
        let data = Data(("{" + body + "}\n").utf8)
        do { try handle.write(contentsOf: data) }
        catch { throw TrainingError.io(file: url.path, message: "cannot write the training log: \(FileProblem.cause(of: error))") }
        bytesWritten += UInt64(data.count)
    }
}

public enum LogValue {
    case int(Int), double(Double), string(String), bool(Bool)

    var json: String {
        switch self {
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? "\(d)" : "null"
        case .string(let s): return "\"\(s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
        case .bool(let b): return b ? "true" : "false"
        }
    }
}
