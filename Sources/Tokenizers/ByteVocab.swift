// A read-only hash map from UTF-8 byte strings to token ids: open addressing over one key
// arena, so a lookup hashes raw bytes and never builds a Swift String (the encode hot path).

struct ByteVocab: Sendable {
    private var arena: [UInt8] = []
    private var keyStart: [Int32] = []   // per entry: offset of its key in `arena`
    private var keyLength: [Int32] = []  // per entry: key length in bytes
    private var values: [Int32] = []     // per entry: token id
    private var slots: [Int32]           // -1 empty, else entry index
    private var mask: Int
    private(set) var count = 0
    /// Longest key in bytes (bounds the greedy match window).
    private(set) var maxKeyLength = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// 64-bit FNV-1a over the bytes, folded with a multiply for better high bits.
    @inline(__always) static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<n { h = (h ^ UInt64(p[i])) &* 0x100_0000_01b3 }
        h ^= h >> 29
        return Int(truncatingIfNeeded: h &* 0xbf58_476d_1ce4_e5b9)
    }

    /// Inserts `key → id`; a repeated key takes the later id (a vocab.txt read into a dict, as HF does).
    mutating func insert(_ key: [UInt8], id: Int32) {
        if let e = key.withUnsafeBufferPointer({ entryIndex($0.baseAddress!, $0.count) }) { values[e] = id; return }
        if (count + 1) * 2 > slots.count { grow() }
        let entry = Int32(values.count)
        keyStart.append(Int32(arena.count)); keyLength.append(Int32(key.count)); values.append(id)
        arena.append(contentsOf: key)
        maxKeyLength = max(maxKeyLength, key.count)
        place(entry)
        count += 1
    }

    private mutating func place(_ entry: Int32) {
        let s = Int(keyStart[Int(entry)]), n = Int(keyLength[Int(entry)])
        var i = arena.withUnsafeBufferPointer { ByteVocab.hash($0.baseAddress! + s, n) } & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = entry
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for e in 0..<values.count { place(Int32(e)) }
    }

    /// The id stored for bytes p[0..<n], or nil.
    @inline(__always) func lookup(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        guard let e = entryIndex(p, n) else { return nil }
        return values[e]
    }

    @inline(__always) private func entryIndex(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        if n == 0 || n > maxKeyLength { return nil }
        var i = ByteVocab.hash(p, n) & mask
        return slots.withUnsafeBufferPointer { sl in
            arena.withUnsafeBufferPointer { ar in
                while true {
                    let e = Int(sl[i])
                    if e < 0 { return nil }
                    if Int(keyLength[e]) == n {
                        let k = ar.baseAddress! + Int(keyStart[e])
                        if memcmp(k, p, n) == 0 { return e }
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }

    func lookup(_ s: String) -> Int32? {
        var bytes = Array(s.utf8)
        if bytes.isEmpty { return nil }
        return bytes.withUnsafeMutableBufferPointer { lookup($0.baseAddress!, $0.count) }
    }
}

@inline(__always) private func memcmp(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Int {
    for i in 0..<n where a[i] != b[i] { return 1 }
    return 0
}
