// `Collective` over MPI_COMM_WORLD. Only the `docket` CLI links this module (and so libmpi);
// services that `import Docket` never need MPI installed.
//
// Calls come from one thread at a time (MPI_THREAD_SERIALIZED). Open MPI's default error
// handler (MPI_ERRORS_ARE_FATAL) already ends the whole job when a peer dies mid-call; a
// non-success return is turned into a thrown error naming the call and this rank.
import CMPI
import Foundation
import Training

public enum MPIError: Error, CustomStringConvertible, LocalizedError {
    case call(String, code: Int32, rank: Int)
    case tooLarge(String)

    public var description: String {
        switch self {
        case let .call(name, code, rank): return "rank \(rank): \(name) failed with MPI error \(code)"
        case let .tooLarge(what): return "\(what) is too large for one MPI message"
        }
    }

    public var errorDescription: String? { description }
}

public final class MPICommunicator: Collective, @unchecked Sendable {
    public let rank: Int
    public let size: Int
    private var finalized = false

    /// True when this process was started by an MPI launcher (mpirun / srun with PMI).
    public static var launchedByMPI: Bool {
        let env = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"].contains { env[$0] != nil }
    }

    /// Ranks on this node (Open MPI's OMPI_COMM_WORLD_LOCAL_SIZE; 1 when unknown).
    public static var localSize: Int {
        Int(ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"] ?? "") ?? 1
    }

    /// Initialises MPI (once per process).
    public init() throws {
        var provided: Int32 = 0
        try Self.check("MPI_Init_thread", rank: -1, MPI_Init_thread(nil, nil, cmpi_thread_serialized(), &provided))
        var r: Int32 = 0, s: Int32 = 0
        try Self.check("MPI_Comm_rank", rank: -1, MPI_Comm_rank(cmpi_comm_world(), &r))
        try Self.check("MPI_Comm_size", rank: -1, MPI_Comm_size(cmpi_comm_world(), &s))
        rank = Int(r); size = Int(s)
    }

    /// Ends MPI after a successful run (every rank).
    public func finalize() {
        guard !finalized else { return }
        finalized = true
        MPI_Finalize()
    }

    public func allReduceSum(_ buffer: UnsafeMutablePointer<Float>, count: Int) throws {
        try inChunks(count) { off, n in
            try check("MPI_Allreduce", MPI_Allreduce(cmpi_in_place(), buffer + off, n, cmpi_float(), cmpi_sum(), cmpi_comm_world()))
        }
    }

    public func allReduceSum(_ buffer: UnsafeMutablePointer<Double>, count: Int) throws {
        try inChunks(count) { off, n in
            try check("MPI_Allreduce", MPI_Allreduce(cmpi_in_place(), buffer + off, n, cmpi_double(), cmpi_sum(), cmpi_comm_world()))
        }
    }

    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) throws {
        guard let base = buffer.baseAddress else { return }
        try inChunks(buffer.count) { off, n in
            try check("MPI_Bcast", MPI_Bcast(base + off, n, cmpi_byte(), Int32(root), cmpi_comm_world()))
        }
    }

    public func allGather(_ bytes: [UInt8]) throws -> [[UInt8]] {
        guard bytes.count <= Int(Int32.max) else { throw MPIError.tooLarge("a gathered block of \(bytes.count) bytes") }
        var counts = [Int32](repeating: 0, count: size)
        var mine = Int32(bytes.count)
        try check("MPI_Allgather", MPI_Allgather(&mine, 1, cmpi_int(), &counts, 1, cmpi_int(), cmpi_comm_world()))
        var displs = [Int32](repeating: 0, count: size)
        var total = 0
        for r in 0..<size { displs[r] = Int32(total); total += Int(counts[r]) }
        guard total <= Int(Int32.max) else { throw MPIError.tooLarge("all ranks' gathered blocks (\(total) bytes)") }
        var all = [UInt8](repeating: 0, count: max(total, 1))
        try bytes.withUnsafeBytes { send in
            try all.withUnsafeMutableBytes { recv in
                try check("MPI_Allgatherv", MPI_Allgatherv(send.baseAddress, mine, cmpi_byte(), recv.baseAddress, counts, displs,
                                                           cmpi_byte(), cmpi_comm_world()))
            }
        }
        return (0..<size).map { r in Array(all[Int(displs[r])..<(Int(displs[r]) + Int(counts[r]))]) }
    }

    public func barrier() throws { try check("MPI_Barrier", MPI_Barrier(cmpi_comm_world())) }

    public func abort(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        MPI_Abort(cmpi_comm_world(), code)
        exit(code)  // MPI_Abort does not return; this satisfies Never
    }

    /// Runs `body(offset, count)` over pieces of at most 2^30 elements (MPI counts are Int32).
    private func inChunks(_ count: Int, _ body: (Int, Int32) throws -> Void) throws {
        var off = 0
        while off < count {
            let n = min(count - off, 1 << 30)
            try body(off, Int32(n))
            off += n
        }
    }

    private func check(_ name: String, _ code: Int32) throws { try Self.check(name, rank: rank, code) }

    private static func check(_ name: String, rank: Int, _ code: Int32) throws {
        guard code == cmpi_success() else { throw MPIError.call(name, code: code, rank: rank) }
    }
}
