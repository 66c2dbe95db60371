// The communication a data-parallel run needs, and nothing more: rank/size, an in-place sum
// over ranks (the gradient all-reduce), broadcast from one rank, all-gather of byte strings
// (sharded evaluation and classification), barrier and abort. The Training and Docket modules
// see only this protocol; `SingleProcess` is the one-rank implementation every library user
// gets, and the `docket` CLI supplies an MPI implementation (module DocketMPI) when it is
// launched by mpirun. Every call is collective: all ranks make the same calls in the same order.
import Foundation

public protocol Collective: AnyObject, Sendable {
    /// This process's rank in [0, size).
    var rank: Int { get }
    /// Number of ranks (1 without MPI).
    var size: Int { get }
    /// buffer[0..<count] ← Σ over ranks of buffer[0..<count] (the same result on every rank).
    func allReduceSum(_ buffer: UnsafeMutablePointer<Float>, count: Int) throws
    /// Double-precision sum over ranks (losses, counts).
    func allReduceSum(_ buffer: UnsafeMutablePointer<Double>, count: Int) throws
    /// Overwrites `buffer` on every rank with root's bytes (all ranks pass the same byte count).
    func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) throws
    /// Every rank's byte string, indexed by rank (lengths may differ).
    func allGather(_ bytes: [UInt8]) throws -> [[UInt8]]
    func barrier() throws
    /// Ends the whole job (every rank) after printing `message`; exit status `code`.
    func abort(_ message: String, code: Int32) -> Never
}

extension Collective {
    public var isRoot: Bool { rank == 0 }

    /// Root's value of a Codable (JSON) on every rank.
    public func broadcast<T: Codable>(_ value: T?, root: Int = 0) throws -> T {
        var length = [Double(0)]
        var data = Data()
        if rank == root {
            guard let value else { throw TrainingError.invalidArgument("broadcast: the root rank has no value") }
            data = try JSONEncoder().encode(value)
            length[0] = Double(data.count)
        }
        try length.withUnsafeMutableBytes { try broadcast($0, root: root) }
        var bytes = [UInt8](rank == root ? data : Data(count: Int(length[0])))
        try bytes.withUnsafeMutableBytes { try broadcast($0, root: root) }
        return try JSONDecoder().decode(T.self, from: Data(bytes))
    }

    /// Broadcasts `count` floats from root in place.
    public func broadcast(_ floats: UnsafeMutablePointer<Float>, count: Int, root: Int = 0) throws {
        try broadcast(UnsafeMutableRawBufferPointer(start: floats, count: count * MemoryLayout<Float>.stride), root: root)
    }
}

/// One process, no communication: every collective is the identity.
public final class SingleProcess: Collective {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func allReduceSum(_ buffer: UnsafeMutablePointer<Float>, count: Int) throws {}
    public func allReduceSum(_ buffer: UnsafeMutablePointer<Double>, count: Int) throws {}
    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) throws {}
    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] { [bytes] }
    public func barrier() throws {}
    public func abort(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(code)
    }
}

/// Rank `rank`'s interleaved share of `items`: items[rank], items[rank + size], …
/// (length-sorted batches give every rank a similar token count).
public func interleavedShare<T>(_ items: [T], rank: Int, size: Int) -> [T] {
    guard size > 1 else { return items }
    return stride(from: rank, to: items.count, by: size).map { items[$0] }
}
