// Activation storage for one caller, allocated once for the largest batch × length and
// reused by every forward (and backward) call. N = maxBatch·maxSeqLen rows, C = hidden,
// F = intermediate, NH = heads, K = labels.
//
// Inference workspaces hold one layer's activations (reused layer after layer, ping-ponging
// the hidden state); training workspaces keep every layer's activations for backward plus
// the gradient scratch.
import Foundation
import Kernels

/// One block's activations; all (N, C) unless noted.
struct BlockActivations {
    var q, k, v: UnsafeMutablePointer<Float>
    var attn: UnsafeMutablePointer<Float>          // softmax(q·kᵀ)·v, before out projection
    var probs: UnsafeMutablePointer<Float>         // (B, NH, T, T) pre-dropout softmax (training);
                                                   // inference: per-core T×T attention scratch
    var attnDropMask: UnsafeMutablePointer<UInt8>  // (B, NH, T, T)
    var attnOutMask: UnsafeMutablePointer<UInt8>   // dropout after the attention output (BERT)
    var resid1: UnsafeMutablePointer<Float>        // attn output (+dropout) + x: LN1 input
    var mean1, rstd1: UnsafeMutablePointer<Float>  // (N)
    var norm1: UnsafeMutablePointer<Float>         // LN1 output
    var ffnIn: UnsafeMutablePointer<Float>         // (N, F) lin1 output (GELU input)
    /// (N, F) GELU output: aliases ffnIn in inference; in training one buffer shared by all
    /// layers (backward recomputes it from ffnIn, saving (L−1)·N·F floats).
    var ffnAct: UnsafeMutablePointer<Float>
    var ffnOutMask: UnsafeMutablePointer<UInt8>    // dropout after lin2
    var resid2: UnsafeMutablePointer<Float>        // ffn output (+dropout) + norm1: LN2 input
    var mean2, rstd2: UnsafeMutablePointer<Float>  // (N)
}

public final class EncoderWorkspace: @unchecked Sendable {
    public let maxBatch: Int
    public let maxSeqLen: Int
    /// Whether per-layer activations are kept (backward is possible).
    public let training: Bool
    /// The sizes the buffers were made for; forward refuses a model with other sizes.
    let shape: WorkspaceShape

    // Inputs as Int32 (N): token ids, token types, positions (t of each row), key mask.
    let ids, typeIds, positions, keyMask: UnsafeMutablePointer<Int32>
    // Embeddings: sum (LN input), its mean/rstd, dropout mask.
    let embSum, embMean, embRstd: UnsafeMutablePointer<Float>
    let embMask: UnsafeMutablePointer<UInt8>
    /// Hidden states: training keeps L+1 ((N, C) each: embeddings output, each layer's
    /// output); inference keeps 2 and alternates.
    let hidden: [UnsafeMutablePointer<Float>]
    let blocks: [BlockActivations]
    // Head, (B, C) each: token-0 rows, dense output, activation, after dropout, its mask.
    let cls, headPre, headAct, headDrop: UnsafeMutablePointer<Float>
    let headMask: UnsafeMutablePointer<UInt8>
    let logits: UnsafeMutablePointer<Float>        // (B, K)
    /// Backward scratch (training only): (N, C) ×5, (N, F) ×2, (B, C) ×3.
    let gradScratch: [UnsafeMutablePointer<Float>]

    // State of the last forward call (used by backward).
    var batch = 0, seqLen = 0
    var dropoutActive = false
    var forwardComplete = false

    private var floats: [UnsafeMutablePointer<Float>] = []
    private var bytes: [UnsafeMutablePointer<UInt8>] = []
    private var ints: [UnsafeMutablePointer<Int32>] = []

    init(config: ModelConfig, maxBatch: Int, maxSeqLen: Int, training: Bool) {
        self.maxBatch = maxBatch; self.maxSeqLen = maxSeqLen; self.training = training
        shape = WorkspaceShape(config)
        let n = maxBatch * maxSeqLen, c = config.hiddenSize, f = config.intermediateSize
        // training: (B, NH, T, T) probabilities per layer; inference: one T×T scratch per core
        let tt = training ? maxBatch * config.numHeads * maxSeqLen * maxSeqLen : encoderWorkerCount * maxSeqLen * maxSeqLen
        var floats: [UnsafeMutablePointer<Float>] = []
        var bytes: [UnsafeMutablePointer<UInt8>] = []
        var ints: [UnsafeMutablePointer<Int32>] = []
        func fl(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            p.initialize(repeating: 0, count: max(count, 1)); floats.append(p); return p
        }
        func by(_ count: Int) -> UnsafeMutablePointer<UInt8> {
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(count, 1))
            p.initialize(repeating: 1, count: max(count, 1)); bytes.append(p); return p
        }
        func it(_ count: Int) -> UnsafeMutablePointer<Int32> {
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: max(count, 1))
            p.initialize(repeating: 0, count: max(count, 1)); ints.append(p); return p
        }
        ids = it(n); typeIds = it(n); positions = it(n); keyMask = it(n)
        embSum = fl(n * c); embMean = fl(n); embRstd = fl(n); embMask = by(training ? n * c : 0)
        hidden = (0..<(training ? config.numLayers + 1 : 2)).map { _ in fl(n * c) }
        let sharedAct = training ? fl(n * f) : nil
        func block() -> BlockActivations {
            let ffnIn = fl(n * f)
            return BlockActivations(
                q: fl(n * c), k: fl(n * c), v: fl(n * c), attn: fl(n * c), probs: fl(tt),
                attnDropMask: by(training ? tt : 0), attnOutMask: by(training ? n * c : 0),
                resid1: fl(n * c), mean1: fl(n), rstd1: fl(n), norm1: fl(n * c),
                ffnIn: ffnIn, ffnAct: sharedAct ?? ffnIn, ffnOutMask: by(training ? n * c : 0),
                resid2: fl(n * c), mean2: fl(n), rstd2: fl(n))
        }
        if training {
            blocks = (0..<config.numLayers).map { _ in block() }
        } else {
            let shared = block()
            blocks = Array(repeating: shared, count: config.numLayers)
        }
        let bc = maxBatch * c
        cls = fl(bc); headPre = fl(bc); headAct = fl(bc); headDrop = fl(bc)
        headMask = by(training ? bc : 0)
        logits = fl(maxBatch * config.numLabels)
        gradScratch = training ? (0..<5).map { _ in fl(n * c) } + [fl(n * f), fl(n * f)] + (0..<3).map { _ in fl(bc) } : []
        self.floats = floats; self.bytes = bytes; self.ints = ints
    }

    /// Refuse workspaces larger than the machine's physical memory (a typo'd batch size must
    /// be an error, not an out-of-memory kill).
    public static var maxBytes: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }

    /// Approximate bytes the buffers need (nil on overflow): per kept layer 8·N·C + 2·N·F
    /// floats and B·NH·T² floats + mask bytes, plus the hidden states and 7·N·C + 2·N·F of
    /// embeddings and scratch.
    static func estimatedBytes(config c: ModelConfig, maxBatch: Int, maxSeqLen: Int, training: Bool) -> Int? {
        func mul(_ xs: Int...) -> Int? {
            var r = 1
            for x in xs { let (v, o) = r.multipliedReportingOverflow(by: x); if o { return nil }; r = v }
            return r
        }
        func add(_ xs: Int...) -> Int? {
            var r = 0
            for x in xs { let (v, o) = r.addingReportingOverflow(x); if o { return nil }; r = v }
            return r
        }
        guard let n = mul(maxBatch, maxSeqLen), let nc = mul(n, c.hiddenSize), let nf = mul(n, c.intermediateSize),
              let tt = mul(n, maxSeqLen, c.numHeads),
              let layerFloats = add(mul(8, nc) ?? -1, mul(2, nf) ?? -1, tt), layerFloats >= 0,
              let layers = mul(layerFloats, training ? c.numLayers : 1),
              let hidden = mul(nc, training ? c.numLayers + 1 : 2),
              let floats = add(layers, hidden, mul(7, nc) ?? -1, mul(2, nf) ?? -1),
              let bytes = add(mul(4, floats) ?? -1, mul(tt, training ? c.numLayers : 0) ?? -1), bytes >= 0
        else { return nil }
        return bytes
    }

    deinit {
        for p in floats { p.deallocate() }
        for p in bytes { p.deallocate() }
        for p in ints { p.deallocate() }
    }
}

/// The config sizes a workspace's buffers depend on.
struct WorkspaceShape: Equatable {
    let hidden, intermediate, heads, layers, labels: Int
    init(_ c: ModelConfig) {
        hidden = c.hiddenSize; intermediate = c.intermediateSize; heads = c.numHeads
        layers = c.numLayers; labels = c.numLabels
    }
}

extension EncoderModel {
    /// Activations for batches up to `maxBatch` × `maxSeqLen` (≤ max_position_embeddings).
    /// `training: true` keeps every layer's activations so `backward` can run.
    public func makeWorkspace(maxBatch: Int, maxSeqLen: Int, training: Bool) throws -> EncoderWorkspace {
        guard maxBatch > 0, maxSeqLen > 0 else {
            throw EncoderError.invalidInput("workspace sizes must be positive (batch \(maxBatch), length \(maxSeqLen))")
        }
        guard maxSeqLen <= config.maxPositions else {
            throw EncoderError.invalidInput("max sequence length \(maxSeqLen) exceeds max_position_embeddings \(config.maxPositions)")
        }
        let bytes = EncoderWorkspace.estimatedBytes(config: config, maxBatch: maxBatch, maxSeqLen: maxSeqLen, training: training)
        guard let bytes, bytes <= EncoderWorkspace.maxBytes else {
            throw EncoderError.invalidInput("a workspace for batch \(maxBatch) × length \(maxSeqLen) would need "
                + (bytes.map { "\($0 >> 20) MiB" } ?? "more than Int.max bytes") + ", more than the \(EncoderWorkspace.maxBytes >> 20) MiB of RAM")
        }
        return EncoderWorkspace(config: config, maxBatch: maxBatch, maxSeqLen: maxSeqLen, training: training)
    }
}
