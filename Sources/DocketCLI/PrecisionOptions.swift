import ArgumentParser
import Docket

extension InferencePrecision: ExpressibleByArgument {}

/// `--precision fp32|bf16|int8|auto`: shared by classify, evaluate and bench classify.
struct PrecisionOptions: ParsableArguments {
    @Option(help: "Inference precision: fp32; bf16 (CPUs with AVX512_BF16; the encoder's linears in bf16 with FP32 accumulation); int8 (CPUs with AVX512_VNNI; those linears with int8 weights and activations, int32 accumulation); auto (the fastest of these on this CPU, measured once at start; never slower than fp32; see `docket inspect --system`).")
    var precision: InferencePrecision = .fp32
}
