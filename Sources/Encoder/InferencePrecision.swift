// The inference precision of an EncoderModel (DESIGN.md §7). FP32 is the default and is what
// training always uses. The reduced precisions prepare the six linears of every block
// (q, k, v, attention output, FFN in, FFN out) once and run them through their own GEMM:
//   bf16 (AVX512_BF16): weights and activations rounded to bf16, FP32 accumulation;
//   int8 (AVX512_VNNI): weights int8 per output channel, activations int8 per row (dynamic),
//        exact int32 accumulation, FP32 scaling and bias.
// Embeddings, LayerNorm, attention (q·kᵀ, softmax, ·v), GELU, residuals and the head stay FP32.
//   auto: the fastest of these on the running CPU, decided once per process (Kernels
//        AutoPrecision: ISA table, then a ~30 ms measurement against FP32; never slower than
//        FP32). The prepared model reports the precision it resolved to.
import Kernels

public enum InferencePrecision: String, Sendable, CaseIterable, CustomStringConvertible {
    case fp32, bf16, int8, auto
    public var description: String { rawValue }

    /// What `.auto` runs here (a concrete precision; the others resolve to themselves).
    public var resolved: InferencePrecision {
        self == .auto ? InferencePrecision(rawValue: AutoPrecision.current.precision) ?? .fp32 : self
    }
}

/// One block linear's weight prepared for a reduced precision.
enum ReducedLinear: Sendable {
    case bf16(BF16Weight)
    case int8(Int8Weight)

    /// out(rows, outF) = input(rows, inF) · Wᵀ + bias in this precision.
    func forward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                 rows: Int) throws {
        switch self {
        case let .bf16(w): try bf16LinearForward(out: out, input: input, weight: w, bias: bias, rows: rows)
        case let .int8(w): try int8LinearForward(out: out, input: input, weight: w, bias: bias, rows: rows)
        }
    }
}

/// One block's six linear weights in a reduced precision.
struct ReducedBlockWeights: Sendable {
    let byTensor: [BlockTensor: ReducedLinear]

    static let weights: [BlockTensor] = [.queryWeight, .keyWeight, .valueWeight, .attnOutWeight, .ffnInWeight, .ffnOutWeight]
}

extension ModelConfig {
    /// A block linear's bias tensor and (inFeatures, outFeatures); nil for other tensors.
    func blockLinear(_ weight: BlockTensor) -> (bias: BlockTensor, inFeatures: Int, outFeatures: Int)? {
        let (c, f) = (hiddenSize, intermediateSize)
        switch weight {
        case .queryWeight: return (.queryBias, c, c)
        case .keyWeight: return (.keyBias, c, c)
        case .valueWeight: return (.valueBias, c, c)
        case .attnOutWeight: return (.attnOutBias, c, c)
        case .ffnInWeight: return (.ffnInBias, c, f)
        case .ffnOutWeight: return (.ffnOutBias, f, c)
        default: return nil
        }
    }
}

extension EncoderModel {
    /// A model for inference at `precision` that shares this model's parameter buffer (no
    /// copy); `.fp32` returns an FP32 model. The reduced precisions prepare every block's six
    /// linear weights — `.bf16` 2 bytes per weight (+22 MB for all-MiniLM-L6-v2, +85 MB for
    /// distilbert-base), `.int8` 1 byte per weight (+11 MB, +43 MB) — and throw
    /// `KernelsError.unsupportedCPU` on a CPU without AVX512_BF16 / AVX512_VNNI.
    /// The prepared weights are a snapshot: after changing the parameters (a training step),
    /// prepare again. Forwards on a training workspace ignore them and run FP32.
    ///
    /// `releasingFP32Weights` (bf16 / int8 only; for an owner that will only ever run inference,
    /// e.g. `TextClassifier(directory:)`): as each linear is packed, the whole pages of its FP32
    /// weight are given back to the OS (−42 MB of all-MiniLM-L6-v2's 91 MB, −170 MB of
    /// distilbert-base's 265 MB), so peak memory is the packed copy instead of both. The
    /// result is inference-only, and so is every model sharing the buffer (this one
    /// included): FP32 and training forwards, backward, `save`, and preparing another
    /// precision throw `EncoderError.fp32WeightsReleased` (`isInferenceOnly`). Preparing an
    /// inference-only model for its own precision returns it unchanged.
    public func preparedForInference(precision: InferencePrecision, releasingFP32Weights: Bool = false) throws -> EncoderModel {
        let p = precision.resolved
        if isInferenceOnly {
            guard p == inferencePrecision else { throw EncoderError.fp32WeightsReleased(operation: "preparing for \(p)") }
            return self
        }
        switch p {
        case .fp32: return reducedBlocks == nil ? self : EncoderModel(sharing: self, precision: .fp32, reducedBlocks: nil)
        case .bf16, .int8:
            return EncoderModel(sharing: self, precision: p, reducedBlocks: try prepareBlocks(p, releasing: releasingFP32Weights))
        case .auto: return self  // `resolved` is never .auto
        }
    }

    /// True when the FP32 block linear weights were released (see `preparedForInference`):
    /// only inference at the prepared precision can run.
    public var isInferenceOnly: Bool { parameters.hasReleasedStorage }

    /// Throws `EncoderError.fp32WeightsReleased` naming `operation` on an inference-only model.
    func requireFP32Weights(for operation: String) throws {
        if parameters.hasReleasedStorage { throw EncoderError.fp32WeightsReleased(operation: operation) }
    }

    /// Packs the block linears layer by layer; with `releasing`, drops each FP32 weight's pages
    /// right after packing it, so resident memory never holds more than one extra packed linear.
    private func prepareBlocks(_ precision: InferencePrecision, releasing: Bool) throws -> [ReducedBlockWeights] {
        let P = parameters.baseAddress
        return try offsets.blocks.enumerated().map { l, w in
            var byTensor: [BlockTensor: ReducedLinear] = [:]
            for t in ReducedBlockWeights.weights {
                guard let shape = config.blockLinear(t) else { continue }
                let (weight, o, i) = (P + w[t.rawValue], shape.outFeatures, shape.inFeatures)
                switch precision {
                case .bf16: byTensor[t] = .bf16(try BF16Weight(weight: weight, outFeatures: o, inFeatures: i))
                case .int8: byTensor[t] = .int8(try Int8Weight(weight: weight, outFeatures: o, inFeatures: i))
                case .fp32, .auto: continue
                }
                if releasing {
                    do { try parameters.releaseStorage(of: [config.parameterName(.block(l, t))]) } catch {
                        throw EncoderError.invalidInput("cannot release \(config.parameterName(.block(l, t))): \(error)")
                    }
                }
            }
            return ReducedBlockWeights(byTensor: byTensor)
        }
    }
}
