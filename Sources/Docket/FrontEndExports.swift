// What a front end (the `docket` CLI, a service) needs besides TextClassifier, reachable from
// `import Docket` alone, so the CLI imports Docket (and Legal) and no internal module: the
// option types of fine-tuning, pretraining and inference, the tokenizer and vocabulary
// trainers, the safetensors reader (`inspect`), the compute dispatch (`inspect --system`),
// the atomic writers and JSON parser, and the ranks abstraction the MPI back end implements.
@_exported import enum DocketBase.AtomicFile
@_exported import class DocketBase.AtomicFileWriter
@_exported import enum DocketBase.FileProblem
@_exported import struct DocketBase.JSONParser
@_exported import enum DocketBase.JSONValue
@_exported import enum DocketBase.MonotonicClock
@_exported import enum Encoder.ActivationRecompute
@_exported import enum Encoder.HeadPooling
@_exported import enum Encoder.InferencePrecision
@_exported import struct Kernels.AutoPrecision
@_exported import struct Kernels.ComputeDispatch
@_exported import enum Kernels.GEMMThreads
@_exported import class SafeTensors.SafeTensorsFile
@_exported import struct Tokenizers.BertNormalization
@_exported import struct Tokenizers.Encoding
@_exported import enum Tokenizers.SentencePieceTrainer
@_exported import class Tokenizers.Tokenizer
@_exported import enum Tokenizers.WordPieceTrainer
@_exported import enum Training.ClassWeightSpec
@_exported import protocol Training.Collective
@_exported import struct Training.EvaluationResult
@_exported import enum Training.ScheduleKind
@_exported import enum Training.SelectionMetric
@_exported import class Training.SingleProcess
@_exported import struct Training.TrainingOptions
@_exported import struct Training.TrainingProgress
