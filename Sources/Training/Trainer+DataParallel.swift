// The data-parallel seam of the trainer (one rank: every function here is the identity).
//
// Rank r of N takes the interleaved share indices[r], indices[r+N], … of every micro-batch.
// The single-process loss of a step is Σ (per-example loss) / W, W = the summed loss
// denominators of its micro-batches (ClassificationLoss.denominator: Σ_b w[y_b] with class
// weights, B without, B·K for multi-label). Each rank's loss kernel normalises by its own
// share's denominator W_r, so its gradient is scaled by W_r / W (the same `scale` gradient
// accumulation uses); the sum over ranks (one all-reduce of the contiguous gradient buffer
// plus the loss) is then the single-process loss and gradient up to summation order. Every
// rank knows the whole batch, so W needs no communication.
//
// Dropout: with several ranks, step s draws a fresh generator per rank from the shared
// state (advanced by one draw per step on every rank), so the saved state does not depend on
// the number of ranks; masks differ from a one-process run (dropout 0 matches exactly).
import DocketBase
import Foundation
import Kernels

extension Trainer {
    /// Several ranks: window-pooled training (documents split into windows) is not sharded yet.
    func checkDataParallelSupport() throws {
        guard collective.size > 1, options.windowPooling != nil else { return }
        throw TrainingError.invalidArgument("window-pooled training (--long-documents chunk) runs in one process only, not under mpirun with \(collective.size) ranks")
    }

    /// This rank's forward/backward over its share of each micro-batch of one step, gradients
    /// scaled by share / whole-step denominator; returns this rank's part of the step loss.
    func accumulateShare(_ batches: [TokenBatch], indices: [[Int]], loss: ClassificationLoss,
                         rng: inout SeededRNG) throws -> Double {
        let total = batches.map(loss.denominator).reduce(0, +)
        var generator = dropoutGenerator(advancing: &rng)
        var stepLoss = 0.0
        for group in indices {
            let local = interleavedShare(group, rank: collective.rank, size: collective.size)
            guard !local.isEmpty else { continue }
            let batch = TokenBatch(examples: train, indices: local, padId: model.padTokenId)
            let share = loss.denominator(batch)
            guard share > 0, total > 0 else { continue }  // weight-0 examples add nothing
            let logits = try model.forward(batch, training: true, rng: &generator)
            var probs: [Float] = [], dLogits = [Float](repeating: 0, count: logits.count)
            let mean = try dLogits.withUnsafeMutableBufferPointer {
                try loss.evaluate(logits: logits, batch: batch, probabilities: &probs, dLogits: $0.baseAddress!,
                                  scale: Float(share / total))
            }
            stepLoss += mean * share / total
            try model.backward(dLogits: dLogits, batch: batch)
        }
        return stepLoss
    }

    /// Advances the shared dropout generator by one draw (on every rank) and derives this rank's.
    func dropoutGenerator(advancing shared: inout SeededRNG) -> SeededRNG {
        SeededRNG(seed: shared.next() ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(collective.rank + 1)))
    }

    /// Sequences per forward on this rank: its share of a global batch.
    var localBatchSize: Int { (options.batchSize + collective.size - 1) / collective.size }

    /// Fields added to each step line of the training log with several ranks.
    var communicationLogFields: [(String, LogValue)] {
        collective.size > 1 ? [("ranks", .int(collective.size)), ("allreduce_s", .double(allReduceSeconds))] : []
    }

    /// Sums the gradients (and this rank's loss share) over ranks in place; returns the batch loss.
    func allReduce(gradients: ParameterBuffer, loss: Double) throws -> Double {
        guard collective.size > 1 else { return loss }
        let start = ThroughputClock.now()
        try collective.allReduceSum(gradients.baseAddress, count: gradients.count)
        var total = [loss]
        try total.withUnsafeMutableBufferPointer { try collective.allReduceSum($0.baseAddress!, count: 1) }
        allReduceSeconds += ThroughputClock.now() - start
        return total[0]
    }

    /// The start state on every rank: rank 0's (fresh weights or the loaded `--resume` state,
    /// its Adam moments and step) broadcast to all, so every replica starts identical and the
    /// output directory is read by rank 0 only.
    func synchronizedInitialState(resume: Bool, optimizer: AdamW) throws -> TrainerState {
        guard collective.size > 1 else { return try initialState(resume: resume, optimizer: optimizer) }
        let own: TrainerState? = collective.isRoot ? try initialState(resume: resume, optimizer: optimizer) : nil
        let state: TrainerState = try collective.broadcast(own)
        try collective.broadcast(model.parameters.baseAddress, count: model.parameters.count)
        if resume {
            try collective.broadcast(optimizer.m, count: optimizer.count)
            try collective.broadcast(optimizer.v, count: optimizer.count)
            var step = [Double(optimizer.step)]
            try step.withUnsafeMutableBytes { try collective.broadcast($0, root: 0) }
            optimizer.step = Int(step[0])
            try state.check(options: options, count: train.count)
        }
        return state
    }

    /// Every rank must hold the same weights (same all-reduce result, same AdamW step); checked
    /// at each save so a diverged replica is reported instead of silently saved.
    func checkReplicasAgree(step: Int) throws {
        guard collective.size > 1 else { return }
        let p = model.parameters
        var digest = UInt64(0xCBF2_9CE4_8422_2325)
        UnsafeRawPointer(p.baseAddress).withMemoryRebound(to: UInt64.self, capacity: p.count / 2) { words in
            for i in 0..<(p.count / 2) { digest = (digest ^ words[i]) &* 0x100_0000_01B3 }
        }
        let all = try collective.allGather(withUnsafeBytes(of: digest) { Array($0) })
        if let bad = all.firstIndex(where: { $0 != all[0] }) {
            throw TrainingError.invalidArgument("after step \(step) rank \(bad)'s weights differ from rank 0's: the all-reduce did not give every rank the same sum")
        }
    }
}
