// The input limits (docs/limits.md), reachable from `import Docket` alone: model sizes read
// from config.json, and sizes read from tokenizer files.
@_exported import enum Encoder.ModelLimits
@_exported import enum Tokenizers.TokenizerLimits
