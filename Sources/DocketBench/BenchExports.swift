// What `docket bench` needs beyond the results above, reachable from `import DocketBench`
// (the CLI's bench commands import Docket and DocketBench only): the encoder to time, the
// CPU-feature checks of the reduced-precision rows.
@_exported import class Encoder.EncoderModel
@_exported import enum Kernels.BF16Support
@_exported import enum Kernels.Int8Support
