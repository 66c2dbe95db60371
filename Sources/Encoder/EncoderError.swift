// Typed errors of the Encoder module. Every case names the file (or tensor) involved so the
// CLI can print one clear line; library code never traps on user input.
import Foundation

public enum EncoderError: Error, CustomStringConvertible, Equatable, Sendable {
    /// config.json unreadable, not JSON, or a field of the wrong type / out of range.
    case invalidConfig(file: String, reason: String)
    /// A valid setting Docket does not implement (refused rather than computed wrongly).
    case unsupportedConfig(file: String, reason: String)
    /// An encoder tensor the config requires is absent from the checkpoint.
    case missingTensor(file: String, name: String)
    /// A tensor whose shape differs from what the config implies.
    case shapeMismatch(file: String, name: String, expected: [Int], found: [Int])
    /// A tensor that could not be read (wrong dtype, unreadable data).
    case unreadableTensor(file: String, name: String, reason: String)
    /// A tensor holding NaN or infinite values (a diverged run): refused on load and on save.
    case nonFiniteWeights(file: String, name: String)
    /// Reading or writing a file failed.
    case io(file: String, reason: String)
    /// Bad arguments to forward/backward (batch larger than the workspace, id out of range, ...).
    case invalidInput(String)
    /// FP32 work (an FP32 or training forward, backward, saving, preparing another precision)
    /// on an inference-only model, whose FP32 block linear weights were released after packing
    /// (`preparedForInference(precision:releasingFP32Weights: true)`).
    case fp32WeightsReleased(operation: String)

    public var description: String {
        switch self {
        case let .invalidConfig(file, reason): return "\(file): invalid config: \(reason)"
        case let .unsupportedConfig(file, reason): return "\(file): unsupported config: \(reason)"
        case let .missingTensor(file, name): return "\(file): missing tensor '\(name)'"
        case let .shapeMismatch(file, name, expected, found):
            return "\(file): tensor '\(name)' has shape \(found), the config implies \(expected)"
        case let .unreadableTensor(file, name, reason): return "\(file): cannot read tensor '\(name)': \(reason)"
        case let .nonFiniteWeights(file, name):
            return "\(file): tensor '\(name)' holds NaN or infinite values (the weights of a diverged run)"
        case let .io(file, reason): return "\(file): \(reason)"
        case let .invalidInput(reason): return "invalid encoder input: \(reason)"
        case let .fp32WeightsReleased(operation):
            return "\(operation) needs the FP32 weights, but this is an inference-only model: its FP32 block linear weights "
                + "were released after packing them to a reduced precision (load the checkpoint again for FP32 work)"
        }
    }
}

extension EncoderError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
