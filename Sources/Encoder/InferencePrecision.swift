// The inference precision of an EncoderModel (DESIGN.md §7). FP32 is the default and is what
// training always uses. BF16 (CPUs with AVX512_BF16) packs the six linears of every block
// (q, k, v, attention output, FFN in, FFN out) into bf16 once and runs them through
// bf16LinearForward: activations rounded to bf16 as they enter the GEMM, FP32 accumulation.
// Embeddings, LayerNorm, attention (q·kᵀ, softmax, ·v), GELU, residuals and the head stay FP32.
import Kernels

public enum InferencePrecision: String, Sendable, CaseIterable, CustomStringConvertible {
    case fp32, bf16
    public var description: String { rawValue }
}

/// One block's six linear weights in bf16.
struct BF16BlockWeights: Sendable {
    let byTensor: [BlockTensor: BF16Weight]

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
    /// The precision inference forwards use (training workspaces always run FP32).
    public var inferencePrecision: InferencePrecision { bf16Blocks == nil ? .fp32 : .bf16 }

    /// A model for inference at `precision` that shares this model's parameter buffer (no
    /// copy); `.fp32` returns an FP32 model. `.bf16` packs every block's six linear weights
    /// (2 bytes per weight: +22 MB for all-MiniLM-L6-v2, +85 MB for distilbert-base) and
    /// throws `KernelsError.unsupportedCPU` on a CPU without AVX512_BF16.
    /// The bf16 weights are a snapshot: after changing the parameters (a training step),
    /// prepare again. Forwards on a training workspace ignore them and run FP32.
    public func preparedForInference(precision: InferencePrecision) throws -> EncoderModel {
        switch precision {
        case .fp32: return bf16Blocks == nil ? self : EncoderModel(sharing: self, bf16Blocks: nil)
        case .bf16: return EncoderModel(sharing: self, bf16Blocks: try packBF16Blocks())
        }
    }

    private func packBF16Blocks() throws -> [BF16BlockWeights] {
        let P = parameters.baseAddress
        return try offsets.blocks.map { w in
            var byTensor: [BlockTensor: BF16Weight] = [:]
            for t in BF16BlockWeights.weights {
                guard let shape = config.blockLinear(t) else { continue }
                byTensor[t] = try BF16Weight(weight: P + w[t.rawValue], outFeatures: shape.outFeatures,
                                             inFeatures: shape.inFeatures)
            }
            return BF16BlockWeights(byTensor: byTensor)
        }
    }
}
