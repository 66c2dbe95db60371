// Typed errors for the few kernel entry points whose inputs can come from users
// (token ids, labels, parameter names, buffer layouts).
import Foundation

public enum KernelsError: Error, Equatable, CustomStringConvertible {
    /// An index (token id, label) outside [0, limit) at position `position` of its input.
    case indexOutOfRange(what: String, index: Int, position: Int, limit: Int)
    /// A ParameterBuffer lookup for a name it does not hold.
    case unknownParameter(String)
    /// Two parameters with the same name in one layout.
    case duplicateParameter(String)
    /// A shape with a negative dimension.
    case invalidShape(name: String, shape: [Int])
    /// Two ParameterBuffers whose layouts differ where they must match.
    case layoutMismatch(String)
    /// A buffer that the requested variant needs was nil.
    case missingBuffer(String)
    /// A probability (dropout) outside [0, 1).
    case invalidProbability(Float)
    /// Class weights whose sum over the batch's labels is not positive and finite (the
    /// weighted mean would be NaN or infinite).
    case invalidClassWeightSum(Float)
    /// The CPU (or OS) lacks an instruction set the requested path needs, e.g. AVX512_BF16
    /// for BF16 inference.
    case unsupportedCPU(feature: String, purpose: String)
    /// A scratch buffer could not be allocated.
    case outOfMemory(String)
    /// A binary (multi-label) target outside [0, 1] at flat position `index`.
    case invalidTarget(index: Int, value: Float)
    /// A copy from or into a ParameterBuffer whose entry `name` was released
    /// (`ParameterBuffer.releaseStorage(of:)`): its values are gone.
    case releasedStorage(String)

    public var description: String {
        switch self {
        case let .indexOutOfRange(what, index, position, limit):
            return "\(what) \(index) at position \(position) is outside [0, \(limit))"
        case let .unknownParameter(name): return "unknown parameter '\(name)'"
        case let .duplicateParameter(name): return "duplicate parameter '\(name)'"
        case let .invalidShape(name, shape): return "invalid shape \(shape) for '\(name)'"
        case let .layoutMismatch(why): return "parameter layouts differ: \(why)"
        case let .missingBuffer(what): return "\(what) is required but was nil"
        case let .invalidProbability(p): return "probability \(p) is outside [0, 1)"
        case let .invalidClassWeightSum(w):
            return "class weights of the batch's labels sum to \(w); the weighted mean needs a positive sum"
        case let .unsupportedCPU(feature, purpose):
            return "\(purpose) needs a CPU with \(feature); this CPU (or its OS) does not support it"
        case let .outOfMemory(what): return "could not allocate \(what)"
        case let .invalidTarget(index, value): return "binary target \(value) at position \(index) is outside [0, 1]"
        case let .releasedStorage(name):
            return "parameter '\(name)' was released from memory (an inference-only model): its FP32 values are gone"
        }
    }
}

extension KernelsError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
