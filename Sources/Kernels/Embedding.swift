// Embedding lookup (nn.Embedding): gather rows of a table; backward scatter-adds into the
// table gradient (repeated ids accumulate, as in PyTorch).

/// out(rows, dim) = table[ids[r], :]. Throws when an id is outside [0, vocab) (checked
/// before anything is written).
public func embeddingForward(out: UnsafeMutablePointer<Float>, ids: UnsafePointer<Int32>,
                             table: UnsafePointer<Float>, vocab: Int, rows: Int, dim: Int) throws {
    try checkIndices(ids, count: rows, limit: vocab, what: "token id")
    for r in 0..<rows {
        (out + r * dim).update(from: table + Int(ids[r]) * dim, count: dim)
    }
}

/// dTable[ids[r], :] += dOut(rows, dim)[r, :]. Throws when an id is outside [0, vocab).
public func embeddingBackward(dTable: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>,
                              ids: UnsafePointer<Int32>, vocab: Int, rows: Int, dim: Int) throws {
    try checkIndices(ids, count: rows, limit: vocab, what: "token id")
    for r in 0..<rows {
        addInPlace(dTable + Int(ids[r]) * dim, dOut + r * dim, count: dim)
    }
}

func checkIndices(_ ids: UnsafePointer<Int32>, count: Int, limit: Int, what: String) throws {
    for i in 0..<count where ids[i] < 0 || Int(ids[i]) >= limit {
        throw KernelsError.indexOutOfRange(what: what, index: Int(ids[i]), position: i, limit: limit)
    }
}
