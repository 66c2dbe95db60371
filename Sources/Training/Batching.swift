// Epoch plans, length-sorted inference plans and padded batches (TokenBatch: the one place
// that pads; training, evaluation and classification all batch through it).
// - No shuffle: consecutive examples in file order, batchSize at a time.
// - Shuffle: a seeded Fisher–Yates permutation, cut into chunks of `bucketBatches` batches;
//   each chunk is sorted by length (stable) and cut into batches, then the batch order is
//   shuffled — similar lengths share a batch (less padding), the order stays random.
import DocketBase
import Kernels

/// One tokenized training or evaluation example.
public struct TrainingExample: Sendable, Equatable {
    public var ids: [Int32]
    public var typeIds: [Int32]?
    /// Single-label gold class id (multi-label examples: unused, 0).
    public var label: Int
    /// Multi-label gold: the ids of every label that applies (possibly none); nil for single-label.
    public var multiLabels: [Int]?
    /// Chunked documents (`TrainingOptions.windowPooling`): the document this window belongs to;
    /// a document's windows are consecutive examples with the same label.
    public var document: Int?
    public init(ids: [Int32], typeIds: [Int32]? = nil, label: Int, document: Int? = nil) {
        self.ids = ids; self.typeIds = typeIds; self.label = label; self.document = document
    }
    /// A multi-label example: `labels` are the ids of the labels that apply.
    public init(ids: [Int32], typeIds: [Int32]? = nil, multiLabels labels: [Int]) {
        self.ids = ids; self.typeIds = typeIds; self.label = 0; self.multiLabels = labels
    }
}

/// A padded batch: ids/typeIds/mask (batch × seqLen, row-major), labels (batch), multi-label gold ids.
public struct TokenBatch: Sendable {
    public let batch: Int
    public let seqLen: Int
    public var ids: [Int32]
    public var typeIds: [Int32]
    public var mask: [Int32]
    public var labels: [Int32]
    /// Multi-label gold ids per row (empty rows for single-label examples).
    public var multiLabels: [[Int]]
    /// The document id of each row (TrainingExample.document; −1 when absent).
    public var documents: [Int]

    /// Pads `examples[indices]` to the longest of them with `padId` (mask 0 on padding).
    public init(examples: [TrainingExample], indices: [Int], padId: Int32) {
        batch = indices.count
        seqLen = max(1, indices.map { examples[$0].ids.count }.max() ?? 1)
        ids = [Int32](repeating: padId, count: batch * seqLen)
        typeIds = [Int32](repeating: 0, count: batch * seqLen)
        mask = [Int32](repeating: 0, count: batch * seqLen)
        labels = indices.map { Int32(examples[$0].label) }
        multiLabels = indices.map { examples[$0].multiLabels ?? [] }
        documents = indices.map { examples[$0].document ?? -1 }
        for (row, i) in indices.enumerated() {
            let e = examples[i], base = row * seqLen
            for (t, id) in e.ids.enumerated() { ids[base + t] = id; mask[base + t] = 1 }
            if let tt = e.typeIds { for (t, v) in tt.prefix(seqLen).enumerated() { typeIds[base + t] = v } }
        }
    }
}

public enum EpochPlanner {
    /// Indices in order of length, stable (equal lengths keep input order).
    public static func lengthOrder(_ lengths: [Int]) -> [Int] {
        lengths.indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
    }

    /// Inference and evaluation batches: `lengthOrder` cut into batches of at most
    /// `batchSize` rows, so a batch holds similar lengths (little padding). With a
    /// `tokenBudget`, a batch whose `batchSize` next sequences are at most L long gets
    /// max(1, min(batchSize, tokenBudget / L)) rows (bounded workspace memory).
    public static func lengthSortedBatches(lengths: [Int], batchSize: Int, tokenBudget: Int? = nil) -> [[Int]] {
        let order = lengthOrder(lengths), size = max(1, batchSize)
        var out: [[Int]] = []
        var start = 0
        while start < order.count {
            let longest = lengths[order[min(order.count - 1, start + size - 1)]]
            let rows = tokenBudget.map { max(1, min(size, $0 / max(longest, 1))) } ?? size
            out.append(Array(order[start..<min(order.count, start + rows)]))
            start += rows
        }
        return out
    }

    /// The batches (lists of example indices) of one epoch.
    public static func batches(lengths: [Int], batchSize: Int, shuffle: Bool, bucketBatches: Int = 50,
                               rng: inout SeededRNG) -> [[Int]] {
        let n = lengths.count, size = max(1, batchSize)
        guard n > 0 else { return [] }
        guard shuffle else { return stride(from: 0, to: n, by: size).map { Array($0..<min(n, $0 + size)) } }
        var order = Array(0..<n)
        shuffleInPlace(&order, rng: &rng)
        var out: [[Int]] = []
        let chunk = size * max(1, bucketBatches)
        for start in stride(from: 0, to: n, by: chunk) {
            // Stable sort by length inside the chunk (ties keep the shuffled order).
            let sorted = order[start..<min(n, start + chunk)].enumerated()
                .sorted { (lengths[$0.element], $0.offset) < (lengths[$1.element], $1.offset) }.map(\.element)
            for b in stride(from: 0, to: sorted.count, by: size) { out.append(Array(sorted[b..<min(sorted.count, b + size)])) }
        }
        shuffleInPlace(&out, rng: &rng)
        return out
    }

    /// Fisher–Yates with our own bounded draw, so the order never depends on the standard
    /// library's shuffle algorithm.
    public static func shuffleInPlace<T>(_ a: inout [T], rng: inout SeededRNG) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            if i != j { a.swapAt(i, j) }
        }
    }

    /// The shuffle generator of an epoch: derived from the seed and the epoch number only, so
    /// any epoch's order can be recomputed on resume.
    public static func epochRNG(seed: UInt64, epoch: Int) -> SeededRNG {
        SeededRNG(seed: seed ^ (0xA076_1D64_78BD_642F &* UInt64(epoch + 1)))
    }
}
