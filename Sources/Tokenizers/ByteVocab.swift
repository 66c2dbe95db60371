// A read-only hash map from UTF-8 byte strings to token ids: open addressing over one key
// arena in manually managed memory, so a lookup hashes raw bytes and touches no reference
// counts or Swift Strings (the encode hot path). Built once, immutable afterwards.

/// The trivially copyable lookup side: raw pointers into a ByteVocab's storage.
struct VocabView {
    let slots: UnsafePointer<Int32>     // -1 empty, else entry index
    let arena: UnsafePointer<UInt8>     // all keys back to back
    let keyStart: UnsafePointer<Int32>  // per entry: offset of its key in arena
    let keyLength: UnsafePointer<Int32> // per entry: key length in bytes
    let values: UnsafePointer<Int32>    // per entry: token id
    let mask: Int
    let maxKeyLength: Int

    /// Word-at-a-time multiplicative hash of p[0..<n].
    @inline(__always) static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xbf58_476d_1ce4_e5b9
            h ^= h >> 31
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n { w |= UInt64(p[i]) << shift; shift += 8; i += 1 }
            h = (h ^ w) &* 0x94d0_49bb_1331_11eb
        }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// The id stored for bytes p[0..<n], or -1.
    @inline(__always) func lookup(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        if n == 0 || n > maxKeyLength { return -1 }
        var i = VocabView.hash(p, n) & mask
        while true {
            let e = Int(slots[i])
            if e < 0 { return -1 }
            if Int(keyLength[e]) == n && memeq(arena + Int(keyStart[e]), p, n) { return values[e] }
            i = (i + 1) & mask
        }
    }

    @inline(__always) private func memeq(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i + 8 <= n {
            if UnsafeRawPointer(a).loadUnaligned(fromByteOffset: i, as: UInt64.self)
                != UnsafeRawPointer(b).loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < n { if a[i] != b[i] { return false }; i += 1 }
        return true
    }
}

/// Owner of the table memory. Keys inserted twice keep the later id (a vocab.txt read into a
/// dict, as HF does).
final class ByteVocab: @unchecked Sendable {
    let view: VocabView
    let count: Int
    private let allocations: [UnsafeMutableRawPointer]

    init(keys: [[UInt8]], ids: [Int32]) {
        // Deduplicate (later wins) while keeping first-seen order.
        var index: [[UInt8]: Int] = [:]
        var uniqueKeys: [[UInt8]] = [], uniqueIds: [Int32] = []
        for (k, id) in zip(keys, ids) where !k.isEmpty {
            if let j = index[k] { uniqueIds[j] = id } else {
                index[k] = uniqueKeys.count; uniqueKeys.append(k); uniqueIds.append(id)
            }
        }
        var size = 16
        while size < uniqueKeys.count * 2 { size <<= 1 }
        let total = uniqueKeys.reduce(0) { $0 + $1.count }
        let slots = UnsafeMutablePointer<Int32>.allocate(capacity: size)
        slots.initialize(repeating: -1, count: size)
        let arena = UnsafeMutablePointer<UInt8>.allocate(capacity: max(total, 1))
        let n = max(uniqueKeys.count, 1)
        let starts = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let lengths = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let values = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        var offset = 0, maxLen = 0
        for (e, k) in uniqueKeys.enumerated() {
            k.withUnsafeBufferPointer { (arena + offset).update(from: $0.baseAddress!, count: k.count) }
            starts[e] = Int32(offset); lengths[e] = Int32(k.count); values[e] = uniqueIds[e]
            var i = VocabView.hash(arena + offset, k.count) & (size - 1)
            while slots[i] >= 0 { i = (i + 1) & (size - 1) }
            slots[i] = Int32(e)
            offset += k.count; maxLen = max(maxLen, k.count)
        }
        view = VocabView(slots: slots, arena: arena, keyStart: starts, keyLength: lengths, values: values,
                         mask: size - 1, maxKeyLength: maxLen)
        count = uniqueKeys.count
        allocations = [UnsafeMutableRawPointer(slots), UnsafeMutableRawPointer(arena), UnsafeMutableRawPointer(starts),
                       UnsafeMutableRawPointer(lengths), UnsafeMutableRawPointer(values)]
    }

    deinit { for p in allocations { p.deallocate() } }

    var maxKeyLength: Int { view.maxKeyLength }

    func lookup(_ s: String) -> Int32? {
        let bytes = Array(s.utf8)
        if bytes.isEmpty { return nil }
        let id = bytes.withUnsafeBufferPointer { view.lookup($0.baseAddress!, $0.count) }
        return id < 0 ? nil : id
    }
}
