// Dynamic batching: documents of concurrent requests wait in one FIFO queue; each forward
// worker (a plain thread, never a NIO event loop or a Swift-concurrency pool thread) takes
// documents from the head until the next one would pass --max-batch-tokens (tokens over all
// windows) or the batch holds --max-batch-requests documents, then classifies them with
// `TextClassifier.classify(encoded:)` — length-sorted, padded to the longest row of each
// forward, exactly as `docket classify` does. With several workers, one take leaves work for
// the others (at most max(--batch-size, ⌈queued / workers⌉) documents), and forwards running at
// once share the cores (GEMMThreads.sharingCores). A request's documents may span several batches;
// its continuation resumes when the last one is done, or at its deadline (then its remaining
// documents are skipped).
import Docket
import Foundation

final class InferenceBatcher: @unchecked Sendable {
    struct Limits {
        var maxBatchTokens: Int
        var maxBatchRequests: Int
        var batchSize: Int
        var workers: Int
    }

    /// What one dynamic batch looked like (for metrics).
    struct BatchStats {
        let documents: Int
        let tokens: Int
        let seconds: Double
    }

    let classifier: TextClassifier
    private let limits: Limits
    private let onBatch: @Sendable (BatchStats, [Prediction]) -> Void
    private let condition = NSCondition()
    private var queue: [(job: Job, index: Int)] = []
    private var head = 0
    private var stopping = false
    /// Tests hold the workers to build up deterministic queues (429, timeouts).
    private var paused = false
    private let finished = DispatchGroup()

    init(classifier: TextClassifier, limits: Limits, onBatch: @escaping @Sendable (BatchStats, [Prediction]) -> Void) {
        self.classifier = classifier
        self.limits = limits
        self.onBatch = onBatch
        for w in 0..<limits.workers {
            finished.enter()
            let t = Thread { [self] in work(); finished.leave() }
            t.name = "docket-forward-\(w)"
            t.stackSize = 8 << 20
            t.start()
        }
    }

    /// Classifies `documents` (at least one); throws `APIError.timeout` past `timeout` seconds.
    /// Returns the predictions in order and the seconds spent queued before the first forward.
    func classify(_ documents: [EncodedDocument], timeout: Double) async throws -> (predictions: [Prediction], queueSeconds: Double) {
        let job = Job(documents: documents)
        let timer = Task { [job] in
            try? await Task.sleep(for: .seconds(timeout))
            if !Task.isCancelled { job.finish(.failure(APIError.timeout(timeout))) }
        }
        defer { timer.cancel() }
        let predictions = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<[Prediction], Error>) in
                guard job.attach(c) else { return }  // already failed (cancelled before we got here)
                enqueue(job)
            }
        } onCancel: {
            job.finish(.failure(CancellationError()))
        }
        return (predictions, job.queueSeconds)
    }

    private func enqueue(_ job: Job) {
        condition.lock()
        if stopping {
            condition.unlock()
            job.finish(.failure(APIError.shuttingDown))
            return
        }
        for i in job.documents.indices { queue.append((job, i)) }
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the workers after the queue is empty (call once no request can arrive any more).
    func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
        finished.wait()
    }

    /// Holds (true) or releases (false) the forward workers; for tests.
    func setPaused(_ value: Bool) {
        condition.lock()
        paused = value
        condition.broadcast()
        condition.unlock()
    }

    /// Documents waiting (not yet taken by a worker).
    var queuedDocuments: Int {
        condition.lock(); defer { condition.unlock() }
        return queue.count - head
    }

    private func work() {
        while let batch = nextBatch() {
            let docs = batch.map { $0.job.documents[$0.index] }
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                let preds = try classifier.classify(encoded: docs, batchSize: limits.batchSize)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                onBatch(BatchStats(documents: docs.count, tokens: docs.reduce(0) { $0 + $1.tokenCount }, seconds: seconds), preds)
                for (entry, p) in zip(batch, preds) { entry.job.deliver(entry.index, p) }
            } catch {
                for entry in batch { entry.job.finish(.failure(APIError.backend("\(error)"))) }
            }
        }
    }

    /// Documents one worker takes: all it may (--max-batch-requests) with one worker; with
    /// several, a share of the queue but at least --batch-size, so idle workers get work.
    private func takeLimit(queued: Int) -> Int {
        guard limits.workers > 1 else { return limits.maxBatchRequests }
        let share = (queued + limits.workers - 1) / limits.workers
        return min(limits.maxBatchRequests, max(limits.batchSize, share))
    }

    /// Blocks until documents are queued; nil once stopping with an empty queue.
    private func nextBatch() -> [(job: Job, index: Int)]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            while (head == queue.count || paused) && !stopping { condition.wait() }
            if head == queue.count { return nil }
            var batch: [(job: Job, index: Int)] = []
            var tokens = 0
            let cap = takeLimit(queued: queue.count - head)
            while head < queue.count {
                let entry = queue[head]
                if entry.job.isFinished { head += 1; continue }  // timed out or cancelled
                let t = entry.job.documents[entry.index].tokenCount
                if !batch.isEmpty && (tokens + t > limits.maxBatchTokens || batch.count >= cap) { break }
                head += 1
                tokens += t
                entry.job.markStarted()
                batch.append(entry)
            }
            // Drop the consumed prefix now and then so the array does not grow without bound.
            if head == queue.count { queue.removeAll(keepingCapacity: true); head = 0 } else if head > 4_096 {
                queue.removeFirst(head); head = 0
            }
            if !batch.isEmpty { return batch }
        }
    }
}

/// One request's documents, results and continuation; every method is safe from any thread,
/// and the continuation is resumed exactly once.
final class Job: @unchecked Sendable {
    let documents: [EncodedDocument]
    private let lock = NSLock()
    private var results: [Prediction?]
    private var remaining: Int
    private var continuation: CheckedContinuation<[Prediction], Error>?
    private var outcome: Result<[Prediction], Error>?
    private let created = DispatchTime.now().uptimeNanoseconds
    private var started: UInt64?

    init(documents: [EncodedDocument]) {
        self.documents = documents
        results = Array(repeating: nil, count: documents.count)
        remaining = documents.count
    }

    var isFinished: Bool { lock.lock(); defer { lock.unlock() }; return outcome != nil }

    /// Seconds between submission and the first document being taken into a batch.
    var queueSeconds: Double {
        lock.lock(); defer { lock.unlock() }
        return Double((started ?? created) - created) / 1e9
    }

    func markStarted() {
        lock.lock(); if started == nil { started = DispatchTime.now().uptimeNanoseconds }; lock.unlock()
    }

    /// Stores the continuation; false (and resumes it) when the job already has an outcome.
    func attach(_ c: CheckedContinuation<[Prediction], Error>) -> Bool {
        lock.lock()
        if let outcome { lock.unlock(); c.resume(with: outcome); return false }
        continuation = c
        lock.unlock()
        return true
    }

    func deliver(_ index: Int, _ p: Prediction) {
        lock.lock()
        guard outcome == nil, results[index] == nil else { lock.unlock(); return }
        results[index] = p
        remaining -= 1
        if remaining == 0 {
            let all = results.compactMap { $0 }
            lock.unlock()
            finish(.success(all))
        } else {
            lock.unlock()
        }
    }

    func finish(_ result: Result<[Prediction], Error>) {
        lock.lock()
        guard outcome == nil else { lock.unlock(); return }
        outcome = result
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume(with: result)
    }
}
