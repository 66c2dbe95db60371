// Domain-adaptive masked-LM pretraining from code (and for `docket pretrain`): read unlabelled
// texts → load the checkpoint with its masked-LM head (created when absent) → tokenize every
// window of every text → MaskedLMTrainer → write a BertForMaskedLM / DistilBertForMaskedLM
// checkpoint that `finetune --model OUTPUT` (and PyTorch's AutoModelForMaskedLM) loads.
//
// Output directory layout:
//   config.json, model.safetensors, tokenizer files, docket.json   the pretrained checkpoint (HF)
//   training_log.jsonl                                               one line per step
//   training_state/                                                  everything --resume needs
import Encoder
import Foundation
import Tokenizers
import Training

public struct PretrainRequest: Sendable {
    /// An HF checkpoint directory (a classifier, a bare encoder or a masked LM).
    public var model: URL
    /// Unlabelled texts: JSONL with "text" (labels ignored), CSV, plain text or a folder.
    public var textPath: String
    public var outputDirectory: URL
    public var options: TrainingOptions
    /// Tokens per window, special tokens included; longer texts give several windows.
    public var maxLength: Int = 128
    public var recompute: ActivationRecompute = .all
    public var resume = false
    /// Replace what an earlier run left in `outputDirectory` (else a non-empty directory is
    /// refused unless `resume`), as fine-tuning.
    public var overwriteOutput = false
    /// Tests and tools: stop right after this step with the state saved.
    public var stopAfterStep: Int?

    public init(model: URL, textPath: String, outputDirectory: URL, options: TrainingOptions = TrainingOptions(),
                maxLength: Int = 128, resume: Bool = false) {
        self.model = model; self.textPath = textPath; self.outputDirectory = outputDirectory
        self.options = options; self.maxLength = maxLength; self.resume = resume
    }
}

public struct PretrainResult: Sendable {
    public let notices: [String]
    public let summary: MaskedLMSummary
    /// Windows trained on per epoch.
    public let windows: Int
    public let outputDirectory: URL
}

public enum Pretrainer {
    /// Largest number of windows kept in memory (each up to `maxLength` token ids).
    public static let maxWindows = 2_000_000

    public static func run(_ request: PretrainRequest, progress: ((TrainingProgress) -> Void)? = nil) throws -> PretrainResult {
        try request.options.validate()
        guard request.maxLength >= 3 else { throw TrainingError.invalidArgument("--max-length must be at least 3") }
        let (model, loadNotices) = try EncoderModel.load(directory: request.model, seed: request.options.seed, objective: .maskedLM)
        let tokenizer = try Tokenizer.load(from: request.model)
        guard let maskId = tokenizer.maskId else {
            throw TrainingError.invalidArgument("the tokenizer in \(request.model.path) has no [MASK] token: masked-LM pretraining needs one")
        }
        let maxLength = min(request.maxLength, model.config.maxPositions)
        let windows = try tokenizeWindows(request.textPath, tokenizer: tokenizer, model: model, maxLength: maxLength)
        let special = Set([tokenizer.padId, tokenizer.clsId, tokenizer.sepId, tokenizer.unkId, maskId])
        let masking = MaskedLMMasking(maskId: maskId, vocabSize: tokenizer.vocabSize, specialIds: special)
        let out = request.outputDirectory
        if out.standardizedFileURL.path == request.model.standardizedFileURL.path {
            throw TrainingError.invalidArgument("\(out.path): the output directory is the starting checkpoint; choose another --output")
        }
        try FineTuneOutput.prepare(out, resume: request.resume, overwrite: request.overwriteOutput)
        let trainer = try MaskedLMTrainer(model: model, options: request.options, masking: masking, examples: windows,
                                          stateDirectory: out.appendingPathComponent("training_state"),
                                          logURL: out.appendingPathComponent("training_log.jsonl"), recompute: request.recompute)
        trainer.onProgress = progress
        trainer.stopAfterStep = request.stopAfterStep
        let metadata = CheckpointMetadata(maxLength: maxLength)
        trainer.onCheckpoint = {
            try CheckpointWriter.write(model: model, tokenizerSource: request.model, metadata: metadata, to: out)
        }
        let summary = try trainer.run(resume: request.resume)
        return PretrainResult(notices: loadNotices, summary: summary, windows: windows.count, outputDirectory: out)
    }

    /// Every window (stride 0) of every text, as unlabelled examples.
    static func tokenizeWindows(_ path: String, tokenizer: Tokenizer, model: EncoderModel,
                                maxLength: Int) throws -> [TrainingExample] {
        let reader = try DocumentReader(path: path)
        let bert = model.config.family == .bert
        var out: [TrainingExample] = []
        while let d = try reader.next() {
            let enc: Encoding
            do { enc = try tokenizer.encode(d.text, pair: d.textPair, maxLength: maxLength, stride: 0) }
            catch { throw TrainingError.data(file: d.source, line: d.line, message: "cannot tokenize: \(error)") }
            for w in [enc] + enc.overflowing where !w.ids.isEmpty {
                if let bad = w.ids.first(where: { Int($0) >= model.config.vocabSize }) {
                    throw TrainingError.data(file: d.source, line: d.line,
                                             message: "token id \(bad) is outside the model's vocabulary (\(model.config.vocabSize)): tokenizer and model do not match")
                }
                out.append(TrainingExample(ids: w.ids, typeIds: bert ? w.typeIds : nil, label: 0))
            }
            guard out.count <= maxWindows else {
                throw TrainingError.data(file: d.source, line: d.line, message: "more than \(maxWindows) windows of \(maxLength) tokens: split the text file")
            }
        }
        guard !out.isEmpty else { throw DocumentError.noDocuments(file: reader.source) }
        return out
    }
}
