// One contiguous, 64-byte-aligned Float storage carved into named ranges (parameters,
// gradients, Adam moments). Whole-buffer passes (zeroing, copying; Training clips and steps)
// are one loop over `baseAddress[0..<count]`.
import Synchronization

public final class ParameterBuffer: @unchecked Sendable {
    /// One named tensor inside the buffer.
    public struct Entry: Equatable, Sendable {
        public let name: String
        public let shape: [Int]
        public let offset: Int
        public let count: Int
    }

    /// Entries in insertion order.
    public let entries: [Entry]
    /// Total number of floats.
    public let count: Int
    /// Start of the storage (aligned to 64 bytes), valid for the buffer's lifetime.
    public let baseAddress: UnsafeMutablePointer<Float>
    private let index: [String: Int]
    /// Entries whose pages were given back to the OS (ParameterBuffer+Release.swift), in
    /// release order; `hasReleasedStorage` mirrors "not empty" without taking the lock.
    let released = Mutex<[String]>([])
    let anyReleased = Atomic<Bool>(false)

    /// Lays out `layout` in order (each range starts on a 16-float boundary) and zeroes it.
    /// Throws for duplicate names or negative dimensions.
    public convenience init(layout: [(name: String, shape: [Int])]) throws {
        var entries: [Entry] = [], offset = 0
        var seen = Set<String>()
        for (name, shape) in layout {
            guard shape.allSatisfy({ $0 >= 0 }) else { throw KernelsError.invalidShape(name: name, shape: shape) }
            guard seen.insert(name).inserted else { throw KernelsError.duplicateParameter(name) }
            let n = shape.reduce(1, *)
            entries.append(Entry(name: name, shape: shape, offset: offset, count: n))
            offset += (n + 15) / 16 * 16
        }
        self.init(validated: entries, count: offset)
    }

    private init(validated entries: [Entry], count: Int) {
        self.entries = entries; self.count = count
        var index: [String: Int] = [:]
        for (i, e) in entries.enumerated() { index[e.name] = i }
        self.index = index
        let offset = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(offset, 1) * 4, alignment: 64)
        baseAddress = raw.bindMemory(to: Float.self, capacity: max(offset, 1))
        baseAddress.initialize(repeating: 0, count: max(offset, 1))
    }

    deinit { UnsafeMutableRawPointer(baseAddress).deallocate() }

    /// A new zeroed buffer with the same layout (a gradient or optimizer-moment buffer).
    public func makeZeroedLike() -> ParameterBuffer {
        ParameterBuffer(validated: entries, count: count)
    }

    public func entry(_ name: String) throws -> Entry {
        guard let i = index[name] else { throw KernelsError.unknownParameter(name) }
        return entries[i]
    }

    public func contains(_ name: String) -> Bool { index[name] != nil }

    /// Start of the named range; throws KernelsError.unknownParameter.
    public func pointer(_ name: String) throws -> UnsafeMutablePointer<Float> {
        baseAddress + (try entry(name)).offset
    }

    /// The named range as a buffer pointer (count elements).
    public func buffer(_ name: String) throws -> UnsafeMutableBufferPointer<Float> {
        let e = try entry(name)
        return UnsafeMutableBufferPointer(start: baseAddress + e.offset, count: e.count)
    }

    /// Sets every float to zero (one pass).
    public func zero() { baseAddress.update(repeating: 0, count: count) }

    /// Copies all values from a buffer with the identical layout; throws layoutMismatch otherwise,
    /// and releasedStorage when either buffer had entries released (their values are gone).
    public func copy(from other: ParameterBuffer) throws {
        guard other.entries == entries else {
            throw KernelsError.layoutMismatch("\(other.entries.count) entries vs \(entries.count)")
        }
        if let name = other.releasedEntries.first ?? releasedEntries.first {
            throw KernelsError.releasedStorage(name)
        }
        baseAddress.update(from: other.baseAddress, count: count)
    }
}
