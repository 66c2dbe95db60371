// What the trainer needs from a model: parameters and gradients in one layout, a forward that
// returns logits (batch × numLabels) and a backward that accumulates into the gradients.
// EncoderModel conforms through EncoderTrainable; tests use small models of their own.
import DocketBase
import Kernels

public protocol TrainableModel: AnyObject {
    var numLabels: Int { get }
    /// Token id used to pad batches.
    var padTokenId: Int32 { get }
    var parameters: ParameterBuffer { get }
    /// Same layout as `parameters`; zeroed by the trainer before each step.
    var gradients: ParameterBuffer { get }
    /// Sizes workspaces for the largest batch the trainer will send.
    func prepare(maxBatch: Int, maxSeqLen: Int, training: Bool) throws
    /// Logits (batch × numLabels), row-major. Dropout only when `training`.
    func forward(_ batch: TokenBatch, training: Bool, rng: inout SeededRNG) throws -> [Float]
    /// Gradients of the last training forward given dLoss/dLogits, accumulated (+=).
    func backward(dLogits: [Float], batch: TokenBatch) throws
}

extension TrainableModel {
    /// The optimizer's view of the parameter layout.
    public var parameterSegments: [ParameterSegment] {
        parameters.entries.map { ParameterSegment(name: $0.name, offset: $0.offset, count: $0.count) }
    }
}
