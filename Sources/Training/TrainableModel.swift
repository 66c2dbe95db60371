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
    /// Training's forward: logits (batch × numLabels), row-major. Dropout only when `training`.
    func forward(_ batch: TokenBatch, training: Bool, rng: inout SeededRNG) throws -> [Float]
    /// Inference logits (batch × numLabels), row-major, dropout off: evaluation's forward.
    func logits(_ batch: TokenBatch) throws -> [Float]
    /// Gradients of the last training forward given dLoss/dLogits, accumulated (+=).
    func backward(dLogits: [Float], batch: TokenBatch) throws
}

extension TrainableModel {
    /// Models without an inference path of their own (small test models): the training
    /// forward with dropout off, which draws nothing from its generator.
    public func logits(_ batch: TokenBatch) throws -> [Float] {
        var unused = SeededRNG(seed: 0)
        return try forward(batch, training: false, rng: &unused)
    }

    /// The optimizer's view of the parameter layout.
    public var parameterSegments: [ParameterSegment] {
        parameters.entries.map { ParameterSegment(name: $0.name, offset: $0.offset, count: $0.count) }
    }
}
