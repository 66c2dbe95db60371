// A small pool of inference workspaces: each concurrent forward borrows one, so activations
// are allocated once and reused. At most `capacity` forwards run at once; further callers
// wait. A workspace too small for a batch is replaced by one sized for it (sizes rounded up
// so growth happens a few times, not per batch).
import Encoder
import Foundation

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
            let b = max(batch, ws?.maxBatch ?? 0)
            let t = min(model.config.maxPositions, max(roundUp(seqLen, 32), ws?.maxSeqLen ?? 0))
            ws = nil  // free the small one before allocating
            ws = try model.makeWorkspace(maxBatch: b, maxSeqLen: max(t, seqLen), training: false)
        }
        return try body(ws!)
    }

    private func roundUp(_ x: Int, _ m: Int) -> Int { (x + m - 1) / m * m }
}
