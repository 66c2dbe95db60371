// A small pool of inference workspaces: each concurrent forward borrows one, so activations
// are allocated once and reused. At most `capacity` forwards run at once; further callers
// wait. A workspace too small for a batch is replaced by one of the batch's length (rounded
// up to 32) keeping the old token capacity (rows × length): batches arrive sorted by length,
// so this happens a few times per call, and attention scratch (rows × heads × length²) stays
// bounded by the token budget instead of max rows × max length².
// Forwards running at once share the cores (`GEMMThreads.sharingCores`): alone, a forward
// splits its products over every core; two at once get one core each on a 2-core machine.
// `classifyOnWorkers` is the worker scheduling of `docket classify
// --workers N`: N contiguous slices of the texts classified at once, one pool workspace each.
import Encoder
import Foundation
import Kernels

extension TextClassifier {
    /// Predictions in input order, the texts split into `options.concurrency` contiguous slices
    /// classified concurrently (each slice batched on its own, as `classify` batches it). With
    /// one worker this is `classify` (and reports `progress`); with more, progress is not reported.
    public func classifyOnWorkers(_ texts: [String], pairs: [String?]? = nil, batchSize: Int = 32,
                                  progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [Prediction] {
        let workers = options.concurrency
        guard workers > 1 else { return try classify(texts, pairs: pairs, batchSize: batchSize, progress: progress) }
        if let pairs, pairs.count != texts.count {
            throw ClassifierError.invalidArgument("\(texts.count) texts but \(pairs.count) pairs")
        }
        let slice = (texts.count + workers - 1) / workers
        let results = SliceResults(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let range = min(texts.count, w * slice)..<min(texts.count, (w + 1) * slice)
            results.set(w, Result { try classify(Array(texts[range]), pairs: pairs.map { Array($0[range]) }, batchSize: batchSize) })
        }
        return try results.values.flatMap { try $0!.get() }
    }
}

/// Per-worker results, written from concurrent workers (each its own index) under a lock.
private final class SliceResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<[Prediction], Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<[Prediction], Error>) { lock.lock(); values[i] = r; lock.unlock() }
}

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
