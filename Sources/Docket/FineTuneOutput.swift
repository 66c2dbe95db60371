// The output directory of a fine-tuning run: refused when it already holds something, unless the
// run resumes it (`--resume`; the Trainer then checks that the saved state is the same job) or
// the user asks to overwrite it (`--overwrite-output`, as HF's `overwrite_output_dir`). When
// overwriting, the files an earlier run wrote are removed first, so no stale
// `dev_predictions.jsonl` or log from that run is left beside the new checkpoint; files Docket
// does not write are left alone.
import Foundation
import SafeTensors

/// A fine-tuning output directory that cannot be used as given.
public enum FineTuneOutputError: Error, Equatable, CustomStringConvertible, LocalizedError, Sendable {
    /// The directory holds files and neither resume nor overwrite was asked for.
    case notEmpty(directory: String, resumable: Bool)
    case cannotClear(file: String, detail: String)

    public var description: String {
        switch self {
        case let .notEmpty(directory, resumable):
            let hint = resumable ? "--resume to continue the run saved there, or --overwrite-output to replace it"
                                 : "--overwrite-output to replace its checkpoint, or another --output"
            return "\(directory): the output directory is not empty; use \(hint)"
        case let .cannotClear(file, detail): return "\(file): cannot remove the earlier run's file: \(detail)"
        }
    }

    public var errorDescription: String? { description }
}

enum FineTuneOutput {
    /// Names an earlier run may have left (tokenizer files and SentencePiece `*.model` too).
    static let runFiles = Set(["config.json", "model.safetensors", CheckpointMetadata.fileName,
                               "dev_predictions.jsonl", "training_log.jsonl", "training_state"] + CheckpointWriter.tokenizerFileNames)

    /// Checks (and with `overwrite` clears) `directory` before a run.
    static func prepare(_ directory: URL, resume: Bool, overwrite: Bool) throws {
        let fm = FileManager.default
        let present = ((try? fm.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !$0.hasPrefix(".") }
        guard !present.isEmpty, !resume else { return }
        guard overwrite else {
            let resumable = fm.fileExists(atPath: directory.appendingPathComponent("training_state/latest").path)
            throw FineTuneOutputError.notEmpty(directory: directory.path, resumable: resumable)
        }
        for name in present where runFiles.contains(name) || name.hasSuffix(".model") {
            let url = directory.appendingPathComponent(name)
            do { try fm.removeItem(at: url) } catch {
                throw FineTuneOutputError.cannotClear(file: url.path, detail: FileProblem.cause(of: error))
            }
        }
    }
}
