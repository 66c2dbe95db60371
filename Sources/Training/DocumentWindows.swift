// Chunked documents in training and evaluation: windows (TrainingExample.document set) grouped
// back into their documents.
enum DocumentWindows {
    /// Every example carries a document id, a document's windows are consecutive and share
    /// one label, and ids are not reused by later windows.
    static func check(_ examples: [TrainingExample], _ what: String) throws {
        var seen = Set<Int>(), previous: TrainingExample?
        for e in examples {
            guard let d = e.document else {
                throw TrainingError.invalidArgument("window pooling needs a document id on every \(what) example")
            }
            if let p = previous, p.document == d {
                guard p.label == e.label else { throw TrainingError.invalidArgument("\(what) document \(d) has windows with different labels") }
            } else {
                guard seen.insert(d).inserted else { throw TrainingError.invalidArgument("\(what) document \(d)'s windows are not consecutive") }
            }
            previous = e
        }
    }

    /// Example indices of each document, in order.
    static func groups(_ examples: [TrainingExample]) -> [[Int]] {
        var out: [[Int]] = []
        for (i, e) in examples.enumerated() {
            if i > 0, e.document == examples[i - 1].document { out[out.count - 1].append(i) } else { out.append([i]) }
        }
        return out
    }

    /// For a batch of whole documents' windows (consecutive rows per document): each row's
    /// document index within the batch (0..<D) and each document's label.
    static func rowDocuments(_ batch: TokenBatch) -> (rows: [Int], labels: [Int]) {
        var rows: [Int] = [], labels: [Int] = []
        for r in 0..<batch.batch {
            if r == 0 || batch.documents[r] != batch.documents[r - 1] { labels.append(Int(batch.labels[r])) }
            rows.append(labels.count - 1)
        }
        return (rows, labels)
    }
}
