// Checkpoint directories written by fine-tuning and `docket init`.
import DocketBase
import Encoder
import Foundation
import Tokenizers
import Training

/// Writes an HF checkpoint directory: the model (config.json + model.safetensors), the
/// tokenizer files, copied byte for byte from where the tokenizer was loaded, and Docket's
/// `docket.json` (CheckpointMetadata). Everything is first written into a temporary sibling
/// directory, then each file is renamed into place (each rename atomic), so readers never see a
/// half-written file.
public enum CheckpointWriter {
    /// `config` replaces the model's own in config.json (multi-label decision thresholds).
    public static func write(model: EncoderModel, tokenizerSource: URL, config: ModelConfig? = nil,
                             metadata: CheckpointMetadata = CheckpointMetadata(), to directory: URL) throws {
        let fm = FileManager.default
        let tmp = directory.appendingPathComponent(".checkpoint.tmp-\(getpid())")
        // Leftovers of a killed run (any pid) are removed first.
        for stale in (try? fm.contentsOfDirectory(atPath: directory.path)) ?? [] where stale.hasPrefix(".checkpoint.tmp-") {
            try? fm.removeItem(at: directory.appendingPathComponent(stale))
        }
        defer { try? fm.removeItem(at: tmp) }
        try model.save(to: tmp, config: config)
        try copyTokenizerFiles(from: tokenizerSource, to: tmp)
        try metadata.write(to: tmp)
        for name in try fm.contentsOfDirectory(atPath: tmp.path).sorted() {
            let target = directory.appendingPathComponent(name)
            guard rename(tmp.appendingPathComponent(name).path, target.path) == 0 else {
                throw TrainingError.io(file: target.path, message: "cannot move the new checkpoint file into place: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// `checkpoint-<step>` under `directory` (with --save-total-limit), as transformers' Trainer
    /// writes them: the model and tokenizer go into a hidden temporary directory renamed into
    /// place whole (a directory rename is atomic); then the oldest beyond `limit` are removed
    /// (CheckpointRotation: the best step's is kept), each renamed to a hidden name first so a
    /// half-deleted `checkpoint-<step>` is never visible.
    public static func writeStepCheckpoint(model: EncoderModel, tokenizerSource: URL, metadata: CheckpointMetadata = CheckpointMetadata(),
                                           step: Int, bestStep: Int?, limit: Int, in directory: URL) throws {
        let fm = FileManager.default
        let final = directory.appendingPathComponent("checkpoint-\(step)")
        let tmp = directory.appendingPathComponent(".checkpoint-\(step).tmp-\(getpid())")
        // Leftovers of a killed run (any pid): half-written or half-deleted step checkpoints.
        for stale in (try? fm.contentsOfDirectory(atPath: directory.path)) ?? []
        where (stale.hasPrefix(".checkpoint-") && stale.contains(".tmp-")) || stale.hasPrefix(".deleting-checkpoint-") {
            try? fm.removeItem(at: directory.appendingPathComponent(stale))
        }
        defer { try? fm.removeItem(at: tmp) }
        try model.save(to: tmp)
        try copyTokenizerFiles(from: tokenizerSource, to: tmp)
        try metadata.write(to: tmp)
        if fm.fileExists(atPath: final.path) { try discard(final) }  // replayed after a resume
        guard rename(tmp.path, final.path) == 0 else {
            throw TrainingError.io(file: final.path, message: "cannot move the checkpoint into place: \(String(cString: strerror(errno)))")
        }
        let steps = ((try? fm.contentsOfDirectory(atPath: directory.path)) ?? []).compactMap { name -> Int? in
            name.hasPrefix("checkpoint-") ? Int(name.dropFirst("checkpoint-".count)) : nil
        }
        for old in CheckpointRotation.stepsToDelete(steps: steps, limit: limit, best: bestStep) {
            try discard(directory.appendingPathComponent("checkpoint-\(old)"))
        }
    }

    /// Renames `dir` to a hidden name, then deletes it.
    private static func discard(_ dir: URL) throws {
        let trash = dir.deletingLastPathComponent().appendingPathComponent(".deleting-\(dir.lastPathComponent)-\(getpid())")
        try? FileManager.default.removeItem(at: trash)
        guard rename(dir.path, trash.path) == 0 else {
            throw TrainingError.io(file: dir.path, message: "cannot remove the old checkpoint: \(String(cString: strerror(errno)))")
        }
        try? FileManager.default.removeItem(at: trash)
    }

    /// `docket init`: a freshly initialised model for `config` with the tokenizer's vocabulary
    /// (and `pooling`, when given, recorded in its config.json).
    public static func initialize(config url: URL, tokenizer tokenizerURL: URL, output: URL,
                                  labels: [String]?, seed: UInt64, pooling: HeadPooling? = nil) throws -> EncoderModel {
        var config = try ModelConfig.load(from: url)
        let tokenizer = try Tokenizer.load(from: tokenizerURL)  // validates it and gives the vocab size
        if let labels {
            guard !labels.isEmpty, Set(labels).count == labels.count, !labels.contains("") else {
                throw TrainingError.invalidArgument("--labels must be distinct, non-empty names")
            }
            config.labels = labels
        }
        config.vocabSize = tokenizer.vocabSize
        config.padTokenId = Int(tokenizer.padId)
        if let pooling { config.pooling = pooling }
        let model = try EncoderModel(config: config, seed: seed)
        try write(model: model, tokenizerSource: tokenizerURL, metadata: CheckpointMetadata(), to: output)
        return model
    }

    /// Files of a Hugging Face tokenizer directory that are copied along.
    static let tokenizerFileNames = ["tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json",
                                     "added_tokens.json"]

    /// Copies the tokenizer: from a directory its known files (and SentencePiece `*.model`); from
    /// a single file that file (a vocabulary under any name becomes vocab.txt) plus the known
    /// companion files beside it.
    static func copyTokenizerFiles(from source: URL, to dir: URL) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        _ = fm.fileExists(atPath: source.path, isDirectory: &isDir)
        let folder = isDir.boolValue ? source : source.deletingLastPathComponent()
        var copies: [(URL, String)] = []
        let present = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
        if !isDir.boolValue {
            let name = source.lastPathComponent
            let target = name.hasSuffix(".json") || name.hasSuffix(".model") ? name : "vocab.txt"
            copies.append((source, target))
            for n in ["tokenizer_config.json", "special_tokens_map.json", "added_tokens.json"] where present.contains(n) && n != name {
                copies.append((folder.appendingPathComponent(n), n))
            }
        } else {
            for n in present.sorted() where tokenizerFileNames.contains(n) || n.hasSuffix(".model") {
                copies.append((folder.appendingPathComponent(n), n))
            }
        }
        for (from, name) in copies {
            do { try fm.copyItem(at: from, to: dir.appendingPathComponent(name)) }
            catch { throw TrainingError.io(file: from.path, message: "cannot copy the tokenizer file: \(FileProblem.reading(from.path, error: error))") }
        }
    }

    /// The dev predictions of a checkpoint, one JSON line per example (file line, gold label,
    /// predicted label, logits; PredictionRecord.dev), written atomically.
    public static func writePredictions(_ evaluation: EvaluationResult, lines: [Int], gold: [String], labels: [String],
                                        multiGold: [[String]]? = nil, to url: URL) throws {
        let records: [PredictionRecord]
        if let sets = evaluation.predictedLabelSets {
            records = lines.enumerated().map { i, line in
                .dev(line: line, gold: multiGold?[i] ?? [], predicted: sets[i].map { labels[$0] }, logits: evaluation.logits[i])
            }
        } else {
            records = lines.enumerated().map { i, line in
                .dev(line: line, gold: gold[i], predicted: labels[evaluation.predictions[i]], logits: evaluation.logits[i])
            }
        }
        try PredictionWriter.write(records, to: url)
    }
}
