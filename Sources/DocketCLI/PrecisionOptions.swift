import ArgumentParser
import Encoder

extension InferencePrecision: ExpressibleByArgument {}

/// `--precision fp32|bf16`: shared by classify, evaluate and bench classify.
struct PrecisionOptions: ParsableArguments {
    @Option(help: "Inference precision: fp32, or bf16 (CPUs with AVX512_BF16; the encoder's linears in bf16 with FP32 accumulation).")
    var precision: InferencePrecision = .fp32
}
