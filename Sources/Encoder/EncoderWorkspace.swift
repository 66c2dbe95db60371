// Activation storage for one caller, allocated once for the largest batch × length and
// reused by every forward (and backward) call. N = maxBatch·maxSeqLen rows, C = hidden,
// F = intermediate, NH = heads, K = labels.
//
// Inference workspaces hold one layer's activations (reused layer after layer, ping-ponging
// the hidden state). Training workspaces keep per layer what backward needs and cannot
// rebuild at the chosen ActivationRecompute level, and share one copy of the rest across
// layers; backward rebuilds the shared ones bit-identically (EncoderModel+Recompute.swift):
//   always       LN1 output (the FFN input) and each layer's input (the previous LN2
//                output), from the LayerNorm inputs and saved statistics: elementwise
//   .attention   attention probabilities, dropout mask and context, from q, k, v and the
//                RNG state saved before the forward's call: one more attention forward
//   .all         also the FFN input and GELU output: one more (N×C)·(C×F) sgemm per layer
import DocketBase
import Foundation
import Kernels

/// How much a training workspace rebuilds in backward instead of keeping per layer. Results
/// are bit-identical at every level; higher levels hold less memory and compute more.
public enum ActivationRecompute: String, Sendable, Codable, CaseIterable, Comparable {
    /// Keep attention probabilities, context and FFN input per layer (fastest, most memory).
    case none
    /// Rebuild attention probabilities, dropout mask and context per layer.
    case attention
    /// Also rebuild the FFN input and activation (one more sgemm per layer). The default:
    /// under half PyTorch's peak memory for 11–14% more time per step (docs/training.md).
    case all

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One block's activations; all (N, C) unless noted. "Shared" buffers are one allocation
/// used by every layer of a training workspace.
struct BlockActivations {
    var q, k, v: UnsafeMutablePointer<Float>
    var attn: UnsafeMutablePointer<Float>          // softmax(q·kᵀ)·v, before out projection
    var probs: UnsafeMutablePointer<Float>         // training: (B, NH, T, T) pre-dropout softmax;
                                                   // inference: per-core T×T scratch
    var attnDropMask: UnsafeMutablePointer<UInt8>  // (B, NH, T, T)
                                                   // (these three shared from .attention up)
    var attnOutMask: UnsafeMutablePointer<UInt8>   // dropout after the attention output (BERT)
    var resid1: UnsafeMutablePointer<Float>        // attn output (+dropout) + x: LN1 input
    var mean1, rstd1: UnsafeMutablePointer<Float>  // (N)
    var norm1: UnsafeMutablePointer<Float>         // LN1 output (shared)
    var ffnIn: UnsafeMutablePointer<Float>         // (N, F) lin1 output + bias (GELU input);
                                                   // shared at .all
    /// (N, F) GELU output: aliases ffnIn in inference; in training one buffer shared by all
    /// layers (backward recomputes it from ffnIn, then reuses it for ∂ffnIn).
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
    /// Training only: what backward rebuilds instead of keeping per layer.
    public let recompute: ActivationRecompute
    /// The sizes the buffers were made for; forward refuses a model with other sizes.
    let shape: WorkspaceShape

    // Inputs as Int32 (N): token ids, token types, positions (t of each row), key mask.
    let ids, typeIds, positions, keyMask: UnsafeMutablePointer<Int32>
    // Embeddings: sum (LN input), its mean/rstd, dropout mask.
    let embSum, embMean, embRstd: UnsafeMutablePointer<Float>
    let embMask: UnsafeMutablePointer<UInt8>
    /// Hidden states, (N, C) each. Inference: 2, alternating (the embeddings output is
    /// hidden[0]). Training: the embeddings output (kept for backward) and 2 alternating
    /// layer outputs; backward rebuilds a layer's input in hidden[1].
    let hidden: [UnsafeMutablePointer<Float>]
    let blocks: [BlockActivations]
    // Head, (B, C) each: token-0 rows, dense output, activation, after dropout, its mask.
    let cls, headPre, headAct, headDrop: UnsafeMutablePointer<Float>
    let headMask: UnsafeMutablePointer<UInt8>
    /// (B, C) max pooling: the token each pooled channel came from.
    let poolArg: UnsafeMutablePointer<Int32>
    let logits: UnsafeMutablePointer<Float>        // (B, K)
    /// Backward scratch (training only): (N, C) ×5, (N, F) ×1, (B, C) ×3.
    let gradScratch: [UnsafeMutablePointer<Float>]

    // State of the last forward call (used by backward).
    var batch = 0, seqLen = 0
    var dropoutActive = false
    var forwardComplete = false
    /// Training: the RNG state before each layer's attention dropout, so backward redraws
    /// the same mask.
    var attentionRNG: [SeededRNG?]

    private var floats: [UnsafeMutablePointer<Float>] = []
    private var bytes: [UnsafeMutablePointer<UInt8>] = []
    private var ints: [UnsafeMutablePointer<Int32>] = []

    init(config: ModelConfig, maxBatch: Int, maxSeqLen: Int, training: Bool, recompute: ActivationRecompute) {
        self.maxBatch = maxBatch; self.maxSeqLen = maxSeqLen; self.training = training
        self.recompute = training ? recompute : .none
        shape = WorkspaceShape(config)
        attentionRNG = Array(repeating: nil, count: config.numLayers)
        let n = maxBatch * maxSeqLen, c = config.hiddenSize, f = config.intermediateSize
        // training: (B, NH, T, T) probabilities per layer; inference: one T×T scratch per core
        let tt = training ? maxBatch * config.numHeads * maxSeqLen * maxSeqLen : kernelWorkerCount * maxSeqLen * maxSeqLen
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
        hidden = (0..<(training ? 3 : 2)).map { _ in fl(n * c) }
        // Inference: one block of buffers reused by every layer. Training: per-layer
        // buffers where backward needs them, one shared copy of the recomputed ones.
        let bertDropout = config.family == .bert
        let ffnIn = fl(n * f)
        let shared = BlockActivations(
            q: fl(n * c), k: fl(n * c), v: fl(n * c), attn: fl(n * c), probs: fl(tt),
            attnDropMask: by(training ? tt : 0), attnOutMask: by(training && bertDropout ? n * c : 0),
            resid1: fl(n * c), mean1: fl(n), rstd1: fl(n), norm1: fl(n * c),
            ffnIn: ffnIn, ffnAct: training ? fl(n * f) : ffnIn,
            ffnOutMask: by(training ? n * c : 0), resid2: fl(n * c), mean2: fl(n), rstd2: fl(n))
        if training {
            let keepAttention = recompute < .attention, keepFFN = recompute < .all
            blocks = (0..<config.numLayers).map { l in
                if l == 0 { return shared }
                var a = shared
                a.q = fl(n * c); a.k = fl(n * c); a.v = fl(n * c)
                if keepAttention { a.attn = fl(n * c); a.probs = fl(tt); a.attnDropMask = by(tt) }
                a.attnOutMask = by(bertDropout ? n * c : 0)
                a.resid1 = fl(n * c); a.mean1 = fl(n); a.rstd1 = fl(n)
                if keepFFN { a.ffnIn = fl(n * f) }
                a.ffnOutMask = by(n * c); a.resid2 = fl(n * c); a.mean2 = fl(n); a.rstd2 = fl(n)
                return a
            }
        } else {
            blocks = Array(repeating: shared, count: config.numLayers)
        }
        let bc = maxBatch * c
        cls = fl(bc); headPre = fl(bc); headAct = fl(bc); headDrop = fl(bc)
        headMask = by(training ? bc : 0)
        poolArg = it(bc)
        logits = fl(maxBatch * config.numLabels)
        gradScratch = training ? (0..<5).map { _ in fl(n * c) } + [fl(n * f)] + (0..<3).map { _ in fl(bc) } : []
        self.floats = floats; self.bytes = bytes; self.ints = ints
    }

    /// Refuse workspaces larger than the machine's physical memory (a typo'd batch size must
    /// be an error, not an out-of-memory kill).
    public static var maxBytes: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }

    /// Approximate bytes the buffers need (nil on overflow). Inference: one block (7·N·C +
    /// N·F floats + the attention scratch) and 3·N·C of hidden states and embeddings.
    /// Training: the shared block (7·N·C + 2·N·F floats, B·NH·T² floats and mask bytes),
    /// per further layer 5·N·C floats (+ N·C + B·NH·T² floats and bytes below .attention,
    /// + N·F below .all) and up to 2·N·C mask bytes, 4·N·C of hidden states and embeddings,
    /// and 5·N·C + N·F of backward scratch.
    static func estimatedBytes(config c: ModelConfig, maxBatch: Int, maxSeqLen: Int, training: Bool,
                               recompute: ActivationRecompute = .all) -> Int? {
        func mul(_ xs: Int...) -> Int? {
            var r = 1
            for x in xs { let (v, o) = r.multipliedReportingOverflow(by: x); if o { return nil }; r = v }
            return r
        }
        func add(_ xs: Int?...) -> Int? {
            var r = 0
            for x in xs {
                guard let x else { return nil }
                let (v, o) = r.addingReportingOverflow(x); if o { return nil }; r = v
            }
            return r
        }
        guard let n = mul(maxBatch, maxSeqLen), let nc = mul(n, c.hiddenSize), let nf = mul(n, c.intermediateSize),
              let tt = mul(n, maxSeqLen, c.numHeads) else { return nil }
        guard training else {
            return add(mul(4, nc, 10), mul(4, nf), mul(4, tt))
        }
        let perLayer = add(mul(4, nc, 5), recompute >= .all ? 0 : mul(4, nf), mul(2, nc),
                           recompute >= .attention ? 0 : add(mul(4, nc), mul(5, tt)))
        return add(mul(4, nc, 7), mul(4, nf, 2), mul(5, tt), perLayer.flatMap { mul($0, c.numLayers - 1) },
                   mul(4, nc, 4), mul(4, nc, 5), mul(4, nf))
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
    /// `training: true` keeps what `backward` needs; `recompute` (training only) chooses how
    /// much backward rebuilds instead (less memory, more compute, identical results).
    public func makeWorkspace(maxBatch: Int, maxSeqLen: Int, training: Bool,
                              recompute: ActivationRecompute = .all) throws -> EncoderWorkspace {
        guard maxBatch > 0, maxSeqLen > 0 else {
            throw EncoderError.invalidInput("workspace sizes must be positive (batch \(maxBatch), length \(maxSeqLen))")
        }
        if training { try requireFP32Weights(for: "a training workspace") }
        guard maxSeqLen <= config.maxPositions else {
            throw EncoderError.invalidInput("max sequence length \(maxSeqLen) exceeds max_position_embeddings \(config.maxPositions)")
        }
        let bytes = EncoderWorkspace.estimatedBytes(config: config, maxBatch: maxBatch, maxSeqLen: maxSeqLen,
                                                    training: training, recompute: recompute)
        guard let bytes, bytes <= EncoderWorkspace.maxBytes else {
            throw EncoderError.invalidInput("a workspace for batch \(maxBatch) × length \(maxSeqLen) would need "
                + (bytes.map { "\($0 >> 20) MiB" } ?? "more than Int.max bytes") + ", more than the \(EncoderWorkspace.maxBytes >> 20) MiB of RAM")
        }
        return EncoderWorkspace(config: config, maxBatch: maxBatch, maxSeqLen: maxSeqLen, training: training,
                                recompute: recompute)
    }
}
