// The worker scheduling of `docket classify --workers N`: N contiguous slices of the texts
// classified at once, each borrowing its own pool workspace; their forwards share the cores
// (TextClassifier+WorkspacePool.swift).
import Foundation

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
