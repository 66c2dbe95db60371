// Typed errors of the Training module; each names what is wrong (and the file when there is one).
import Foundation

public enum TrainingError: Error, Equatable, CustomStringConvertible {
    case invalidLayout(String)
    case invalidArgument(String)
    case stateMismatch(String)
    case data(file: String, line: Int?, message: String)
    case io(file: String, message: String)
    /// A non-finite loss or gradient norm: training stopped before applying the update.
    case diverged(step: Int, loss: Double, gradNorm: Double)
    /// Parameters holding NaN or infinity (refused on save and on resume).
    case nonFiniteWeights(file: String, tensor: String)

    public var description: String {
        switch self {
        case .invalidLayout(let name): return "parameter segment '\(name)' overlaps the previous one or lies outside the buffer"
        case .invalidArgument(let m): return m
        case .stateMismatch(let m): return "training state does not match: \(m)"
        case let .data(file, line, message):
            return line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
        case let .io(file, message): return "\(file): \(message)"
        case let .diverged(step, loss, gradNorm):
            return "training diverged at step \(step): loss \(loss), gradient norm \(gradNorm); stopped before updating "
                + "the weights (the last saved checkpoint and training state are kept): lower --learning-rate or set --grad-clip"
        case let .nonFiniteWeights(file, tensor): return "\(file): tensor '\(tensor)' holds NaN or infinite values"
        }
    }
}

extension TrainingError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
