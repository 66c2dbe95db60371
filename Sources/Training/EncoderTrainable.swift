// EncoderModel as a TrainableModel: one training workspace (the activations backward needs;
// evaluation runs on it too) and one gradient buffer with the model's layout.
import DocketBase
import Encoder
import Kernels

public final class EncoderTrainable: TrainableModel {
    public let model: EncoderModel
    public let gradients: ParameterBuffer
    /// What backward rebuilds instead of keeping per layer (less memory, more compute);
    /// gradients are bit-identical at every level.
    public let recompute: ActivationRecompute
    private var workspace: EncoderWorkspace?

    public init(model: EncoderModel, recompute: ActivationRecompute = .all) {
        self.model = model
        self.recompute = recompute
        gradients = model.makeGradientBuffer()
    }

    public var numLabels: Int { model.config.numLabels }
    public var padTokenId: Int32 { Int32(max(0, model.config.padTokenId)) }
    public var parameters: ParameterBuffer { model.parameters }

    public func prepare(maxBatch: Int, maxSeqLen: Int, training: Bool) throws {
        if let ws = workspace, ws.maxBatch >= maxBatch, ws.maxSeqLen >= maxSeqLen, ws.training || !training { return }
        workspace = nil  // free the old buffers before allocating
        workspace = try model.makeWorkspace(maxBatch: maxBatch, maxSeqLen: maxSeqLen, training: training,
                                            recompute: recompute)
    }

    public func forward(_ batch: TokenBatch, training: Bool, rng: inout SeededRNG) throws -> [Float] {
        let ws = try workspace(fitting: batch)
        let logits = try model.forward(ids: batch.ids, typeIds: batch.typeIds, mask: batch.mask, batch: batch.batch,
                                       seqLen: batch.seqLen, workspace: ws, training: training, rng: &rng)
        return Array(logits)
    }

    /// Evaluation's forward (dropout off, no RNG) on the same training workspace.
    public func logits(_ batch: TokenBatch) throws -> [Float] {
        let ws = try workspace(fitting: batch)
        return Array(try model.logits(ids: batch.ids, typeIds: batch.typeIds, mask: batch.mask, batch: batch.batch,
                                      seqLen: batch.seqLen, workspace: ws))
    }

    /// The workspace, grown (as a training one) when `batch` does not fit it.
    private func workspace(fitting batch: TokenBatch) throws -> EncoderWorkspace {
        if workspace.map({ $0.maxBatch < batch.batch || $0.maxSeqLen < batch.seqLen }) ?? true {
            try prepare(maxBatch: batch.batch, maxSeqLen: batch.seqLen, training: true)
        }
        guard let workspace else { throw TrainingError.invalidArgument("no workspace after prepare") }
        return workspace
    }

    public func backward(dLogits: [Float], batch: TokenBatch) throws {
        guard let ws = workspace else { throw TrainingError.invalidArgument("backward before forward") }
        try dLogits.withUnsafeBufferPointer { try model.backward(dLogits: $0.baseAddress!, workspace: ws, gradients: gradients) }
    }
}
