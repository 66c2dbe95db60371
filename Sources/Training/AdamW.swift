// AdamW over one contiguous parameter buffer, mirroring torch.optim.AdamW (single-tensor path,
// float32 arithmetic, Python-double scalars):
//   p ← p·(1 − lr·wd)                       decoupled weight decay, before the Adam update
//   m ← m + (1−β1)·(g − m)                  exp_avg.lerp_(grad, 1−β1)
//   v ← v·β2 + (1−β2)·g·g                   exp_avg_sq.mul_(β2).addcmul_(g, g, 1−β2)
//   p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)
// Weight decay follows Hugging Face's grouping: none on biases and LayerNorm parameters
// (a per-segment mask derived from the parameter names).

/// Hyperparameters of torch.optim.AdamW (the learning rate comes from the schedule each step).
public struct AdamWConfig: Sendable, Codable, Equatable {
    public var beta1: Double
    public var beta2: Double
    public var eps: Double
    public var weightDecay: Double

    public init(beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, weightDecay: Double = 0) {
        self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay
    }
}

/// One named, contiguous range of the flat parameter buffer.
public struct ParameterSegment: Sendable, Codable, Equatable {
    public let name: String
    public let offset: Int
    public let count: Int
    public init(name: String, offset: Int, count: Int) { self.name = name; self.offset = offset; self.count = count }
}

public enum WeightDecayGrouping {
    /// Hugging Face Trainer's rule: no decay for biases and for every LayerNorm parameter
    /// (BERT `LayerNorm.weight/gamma`, DistilBERT `sa_layer_norm`/`output_layer_norm`).
    public static func decays(_ name: String) -> Bool {
        let parts = name.split(separator: ".")
        guard let leaf = parts.last else { return true }
        if leaf == "bias" || leaf == "beta" { return false }
        let module = parts.count > 1 ? parts[parts.count - 2].lowercased() : ""
        return !(module.contains("layernorm") || module.contains("layer_norm"))
    }
}

/// Adam moments over the same layout as the parameters, plus the step counter.
public final class AdamW: @unchecked Sendable {
    public let config: AdamWConfig
    public let segments: [ParameterSegment]
    public let count: Int
    /// Number of optimizer steps taken (torch's `state["step"]`).
    public internal(set) var step: Int = 0
    let m: UnsafeMutablePointer<Float>
    let v: UnsafeMutablePointer<Float>
    private let decaySpans: [(offset: Int, count: Int, decays: Bool)]

    /// `segments` in increasing offset order inside 0..<count; gaps between them (alignment
    /// padding of a ParameterBuffer, always zero) join the preceding span. Throws otherwise.
    public init(config: AdamWConfig, segments: [ParameterSegment], count: Int) throws {
        var end = 0
        for s in segments {
            guard s.offset >= end, s.count >= 0, s.offset + s.count <= count else { throw TrainingError.invalidLayout(s.name) }
            end = s.offset + s.count
        }
        self.config = config
        self.segments = segments
        self.count = count
        m = .allocate(capacity: max(count, 1)); m.initialize(repeating: 0, count: max(count, 1))
        v = .allocate(capacity: max(count, 1)); v.initialize(repeating: 0, count: max(count, 1))
        decaySpans = Self.mergeSpans(segments, count: count)
    }

    deinit { m.deallocate(); v.deallocate() }

    /// Adjacent segments with the same decay flag become one span (covering any padding up to
    /// the next segment), so the step is a handful of long SIMD loops over the buffer.
    private static func mergeSpans(_ segments: [ParameterSegment], count: Int) -> [(offset: Int, count: Int, decays: Bool)] {
        var spans: [(offset: Int, count: Int, decays: Bool)] = []
        for (i, s) in segments.enumerated() {
            let end = i + 1 < segments.count ? segments[i + 1].offset : count
            let d = WeightDecayGrouping.decays(s.name)
            if let last = spans.last, last.decays == d { spans[spans.count - 1].count = end - last.offset }
            else { spans.append((s.offset, end - s.offset, d)) }
        }
        if let first = spans.first, first.offset > 0 { spans.insert((0, first.offset, false), at: 0) }
        return spans
    }

    public var firstMoment: UnsafeMutableBufferPointer<Float> { .init(start: m, count: count) }
    public var secondMoment: UnsafeMutableBufferPointer<Float> { .init(start: v, count: count) }

    /// One AdamW step with learning rate `lr` over params[0..<count] given grads[0..<count].
    public func update(parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>, lr: Double) {
        step += 1
        let t = Double(step)
        let bc1 = 1 - mathPow(config.beta1, t), bc2 = 1 - mathPow(config.beta2, t)
        let k = AdamKernel(w1: Float(1 - config.beta1), beta2: Float(config.beta2), w2: Float(1 - config.beta2),
                           stepSize: Float(-(lr / bc1)), bc2Sqrt: Float(bc2.squareRoot()), eps: Float(config.eps))
        // Pieces of ≤ 64Ki floats; large buffers are spread over the cores (elementwise work:
        // the result does not depend on how the pieces are scheduled).
        var pieces: [(offset: Int, count: Int, decay: Float)] = []
        for span in decaySpans {
            let decay: Float = span.decays && config.weightDecay != 0 ? Float(1 - lr * config.weightDecay) : 1
            for start in stride(from: span.offset, to: span.offset + span.count, by: Self.piece) {
                pieces.append((start, min(Self.piece, span.offset + span.count - start), decay))
            }
        }
        let b = AdamBuffers(p: p, g: g, m: m, v: v), all = pieces
        let run: @Sendable (Int) -> Void = { i in
            let q = all[i]
            k.run(b.p + q.offset, b.g + q.offset, b.m + q.offset, b.v + q.offset, q.count, decay: q.decay)
        }
        if count < 4 * Self.piece { for i in all.indices { run(i) } }
        else { DispatchQueue.concurrentPerform(iterations: all.count, execute: run) }
    }

    static let piece = 1 << 16
}

import Dispatch

/// The four buffers of a step; each parallel piece touches a disjoint range of them.
struct AdamBuffers: @unchecked Sendable {
    let p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
}

/// The per-element update, vectorised 16 floats at a time with a scalar tail of the same formula.
struct AdamKernel {
    let w1: Float, beta2: Float, w2: Float, stepSize: Float, bc2Sqrt: Float, eps: Float

    func run(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
             _ v: UnsafeMutablePointer<Float>, _ n: Int, decay: Float) {
        typealias V = SIMD16<Float>
        let vec = n / 16 * 16
        var i = 0
        while i < vec {
            let gv = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            var pv = UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
            var mv = UnsafeRawPointer(m + i).loadUnaligned(as: V.self)
            var vv = UnsafeRawPointer(v + i).loadUnaligned(as: V.self)
            pv = pv * decay
            mv = mv + w1 * (gv - mv)
            vv = vv * beta2 + (w2 * gv) * gv
            let denom = vv.squareRoot() / bc2Sqrt + eps
            pv = pv + stepSize * (mv / denom)
            UnsafeMutableRawPointer(p + i).storeBytes(of: pv, as: V.self)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mv, as: V.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vv, as: V.self)
            i += 16
        }
        while i < n {
            let gi = g[i]
            let pi = p[i] * decay
            let mi = m[i] + w1 * (gi - m[i])
            let vi = v[i] * beta2 + (w2 * gi) * gi
            let denom = vi.squareRoot() / bc2Sqrt + eps
            p[i] = pi + stepSize * (mi / denom)
            m[i] = mi; v[i] = vi
            i += 1
        }
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func mathPow(_ a: Double, _ b: Double) -> Double { Glibc.pow(a, b) }
#else
import Foundation
@inline(__always) func mathPow(_ a: Double, _ b: Double) -> Double { Foundation.pow(a, b) }
#endif
