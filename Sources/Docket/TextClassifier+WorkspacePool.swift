// A small pool of inference workspaces: each concurrent forward borrows one, so activations
// are allocated once and reused. At most `capacity` forwards run at once; further callers
// wait. A workspace too small for a batch is replaced by one of the batch's length (rounded
// up to 32) keeping the old token capacity (rows × length): batches arrive sorted by length,
// so this happens a few times per call, and attention scratch (rows × heads × length²) stays
// bounded by the token budget instead of max rows × max length².
// Forwards running at once share the cores (`GEMMThreads.sharingCores`): alone, a forward
// splits its products over every core; two at once get one core each on a 2-core machine.
import Encoder
import Foundation
import Kernels

final class WorkspacePool: @unchecked Sendable {
    private let model: EncoderModel
    private let capacity: Int
    private let condition = NSCondition()
    private var idle: [EncoderWorkspace] = []
    private var borrowed = 0

    init(model: EncoderModel, capacity: Int) {
        self.model = model
        self.capacity = capacity
    }

    /// Runs `body` with a workspace of at least batch × seqLen, waiting while all are in use.
    func withWorkspace<R>(batch: Int, seqLen: Int, _ body: (EncoderWorkspace) throws -> R) throws -> R {
        condition.lock()
        while borrowed >= capacity { condition.wait() }
        borrowed += 1
        var ws = idle.popLast()
        condition.unlock()
        defer {
            condition.lock()
            borrowed -= 1
            if let ws { idle.append(ws) }
            condition.signal()
            condition.unlock()
        }
        if ws == nil || ws!.maxBatch < batch || ws!.maxSeqLen < seqLen {
            let t = max(seqLen, min(model.config.maxPositions, roundUp(seqLen, 32)))
            let oldTokens = ws.map { $0.maxBatch * $0.maxSeqLen } ?? 0
            let b = max(batch, oldTokens / t)
            ws = nil  // free the old one before allocating
            ws = try model.makeWorkspace(maxBatch: b, maxSeqLen: t, training: false)
        }
        let borrowedWorkspace = ws!
        return try GEMMThreads.sharingCores { try body(borrowedWorkspace) }
    }

    private func roundUp(_ x: Int, _ m: Int) -> Int { (x + m - 1) / m * m }
}
