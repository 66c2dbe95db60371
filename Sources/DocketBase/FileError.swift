// The error of the atomic writers (AtomicFile, AtomicFileWriter): the file and what went wrong,
// printed as "<file>: <message>" (the text SafeTensorsError.io printed before the writers
// moved here from SafeTensors).
import Foundation

public enum FileError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file (or its temp file or directory) could not be created, written, flushed or renamed.
    case io(file: String, message: String)

    public var description: String {
        switch self {
        case let .io(file, message): return "\(file): \(message)"
        }
    }
}

extension FileError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
