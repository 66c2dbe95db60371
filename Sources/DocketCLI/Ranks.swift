// The ranks a command runs on: MPI_COMM_WORLD when the process was started by mpirun (or
// another MPI launcher), one process otherwise. `docket finetune` and `docket classify` use it.
import Docket
import DocketMPI
import Foundation

enum Ranks {
    /// Starts MPI when launched by an MPI launcher. With several ranks on one node and no
    /// OPENBLAS_NUM_THREADS / OMP_NUM_THREADS, each rank gets cores / ranks-per-node BLAS threads.
    static func start() throws -> Collective {
        guard MPICommunicator.launchedByMPI else { return SingleProcess() }
        let world = try MPICommunicator()
        let env = ProcessInfo.processInfo.environment
        if env["OPENBLAS_NUM_THREADS"] == nil && env["OMP_NUM_THREADS"] == nil && MPICommunicator.localSize > 1 {
            GEMMThreads.set(max(1, ProcessInfo.processInfo.activeProcessorCount / MPICommunicator.localSize))
        }
        return world
    }

    /// Runs `body` on every rank. An error on any rank ends the whole job (MPI_Abort) with a
    /// message naming the rank; one process rethrows it as before.
    static func run(_ ranks: Collective, command: String, _ body: () throws -> Void) throws {
        do { try body() } catch {
            if ranks.size > 1 { ranks.abort("Error: docket \(command): rank \(ranks.rank) of \(ranks.size): \(error)", code: 1) }
            (ranks as? MPICommunicator)?.finalize()
            throw error
        }
        (ranks as? MPICommunicator)?.finalize()
    }

}
