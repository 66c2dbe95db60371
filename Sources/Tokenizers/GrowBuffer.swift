// Manually managed growable buffers for the encode hot path: trivially copyable, so appends
// cost no uniqueness checks or reference counting. The owner calls `free()` exactly once.

struct GrowBuffer<T: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    @inline(__always) mutating func append(_ v: T) {
        if count == capacity { grow(to: capacity * 2) }
        (base + count).initialize(to: v)
        count += 1
    }

    @inline(__always) subscript(i: Int) -> T { base[i] }

    mutating func removeAll() { count = 0 }
    mutating func truncate(to n: Int) { count = min(count, n) }

    mutating func grow(to newCapacity: Int) {
        let nb = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
        nb.moveInitialize(from: base, count: count)
        base.deallocate()
        base = nb
        capacity = newCapacity
    }

    var array: [T] { Array(UnsafeBufferPointer(start: base, count: count)) }

    func free() { base.deallocate() }
}

/// Raw tokens as they are produced: id and original [start, end) scalar span per token.
struct TokenSink {
    var ids: GrowBuffer<Int32>
    var starts: GrowBuffer<Int32>
    var ends: GrowBuffer<Int32>

    init(capacity: Int) {
        ids = GrowBuffer(capacity: capacity); starts = GrowBuffer(capacity: capacity); ends = GrowBuffer(capacity: capacity)
    }
    var count: Int { ids.count }
    @inline(__always) mutating func append(_ id: Int32, _ s: Int32, _ e: Int32) {
        ids.append(id); starts.append(s); ends.append(e)
    }
    mutating func truncate(to n: Int) { ids.truncate(to: n); starts.truncate(to: n); ends.truncate(to: n) }
    /// Copies out into arrays and frees the buffers.
    func finish() -> RawTokens {
        defer { ids.free(); starts.free(); ends.free() }
        return RawTokens(ids: ids.array, starts: starts.array, ends: ends.array)
    }
}
