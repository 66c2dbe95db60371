// Every error type a Docket call can throw, reachable from `import Docket` alone, so a service
// can catch them by type (`catch let e as EncoderError`) without importing Docket's internal
// modules. Each conforms to LocalizedError: `error.localizedDescription` is the one-line
// message naming the file and the cause.
//
//   Docket:      DocumentError, ClassifierError, CalibrationError, CheckpointMetadataError,
//                FineTuneOutputError (declared in this module)
//   re-exported: EncoderError (model, config.json, weights), TokenizerError (tokenizer files),
//                SafeTensorsError (safetensors files), FileError (atomic writes), JSONParseError,
//                TrainingError and MetricsError (fine-tuning, metrics), KernelsError (CPU
//                features, numerics)
@_exported import enum DocketBase.FileError
@_exported import struct DocketBase.JSONParseError
@_exported import enum Encoder.EncoderError
@_exported import enum Kernels.KernelsError
@_exported import enum SafeTensors.SafeTensorsError
@_exported import enum Tokenizers.TokenizerError
@_exported import enum Training.MetricsError
@_exported import enum Training.TrainingError
