// The data-parallel seam of the trainer (one rank: every function here is the identity).
//
// Rank r of N takes the interleaved share indices[r], indices[r+N], … of every global batch.
// The single-process loss of a batch is the weighted mean Σ_b w[y_b]·nll_b / W with
// W = Σ_b w[y_b] over the *whole* batch (w ≡ 1 without class weights). Each rank's kernel
// normalises by its own W_r, so its loss and dLogits are rescaled by W_r / W; the sum over
// ranks (one all-reduce of the contiguous gradient buffer plus the loss) is then exactly the
// single-process loss and gradient up to summation order. Every rank knows the whole batch's
// labels, so W needs no communication.
//
// Dropout: with several ranks, step s draws a fresh generator per rank from the shared
// state (advanced by one draw per step on every rank), so the saved state does not depend on
// the number of ranks; masks differ from a one-process run (dropout 0 matches exactly).
import Foundation
import Kernels

/// This rank's share of one global batch and the rescaling that makes the sum over ranks the
/// global weighted mean.
struct BatchShare {
    let local: [Int]
    /// W_r / W (1 with one rank).
    let factor: Float
    private let rank: Int

    init(indices: [Int], examples: [TrainingExample], weights: [Float]?, collective: Collective) {
        rank = collective.rank
        local = interleavedShare(indices, rank: collective.rank, size: collective.size)
        guard collective.size > 1 else { factor = 1; return }
        func weightSum(_ idx: [Int]) -> Double { idx.reduce(0) { $0 + Double(weights?[examples[$1].label] ?? 1) } }
        let total = weightSum(indices)
        factor = total > 0 ? Float(weightSum(local) / total) : 0
    }

    /// False when this rank has no examples, or only examples of weight 0 (their gradient is 0).
    var hasWork: Bool { !local.isEmpty && factor > 0 }

    func scale(loss: inout Float, dLogits: inout [Float]) {
        guard factor != 1 else { return }
        loss *= factor
        dLogits.withUnsafeMutableBufferPointer { d in scaleInPlace(d.baseAddress!, d.count, factor) }
    }

    /// Advances the shared generator by one draw (on every rank) and derives this rank's.
    func dropoutGenerator(advancing shared: inout SeededRNG) -> SeededRNG {
        SeededRNG(seed: shared.next() ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(rank + 1)))
    }
}

private func scaleInPlace(_ p: UnsafeMutablePointer<Float>, _ n: Int, _ s: Float) {
    for i in 0..<n { p[i] *= s }
}

extension Trainer {
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
            guard state.options == options, state.trainCount == train.count else {
                throw TrainingError.stateMismatch("the saved run used different options or training data (\(state.trainCount) examples, now \(train.count))")
            }
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
