// Typed errors of the Training module; each names what is wrong (and the file when there is one).
import Foundation

public enum TrainingError: Error, Equatable, CustomStringConvertible {
    case invalidLayout(String)
    case invalidArgument(String)
    case stateMismatch(String)
    case data(file: String, line: Int?, message: String)
    case io(file: String, message: String)

    public var description: String {
        switch self {
        case .invalidLayout(let name): return "parameter segment '\(name)' overlaps the previous one or lies outside the buffer"
        case .invalidArgument(let m): return m
        case .stateMismatch(let m): return "training state does not match: \(m)"
        case let .data(file, line, message):
            return line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
        case let .io(file, message): return "\(file): \(message)"
        }
    }
}

extension TrainingError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
