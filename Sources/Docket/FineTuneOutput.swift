// The output directory of a fine-tuning run: refused when it already holds something, unless the
// run resumes it (`--resume`; the Trainer then checks that the saved state is the same job) or
// the user asks to overwrite it (`--overwrite-output`, as HF's `overwrite_output_dir`). When
// overwriting, the files an earlier run wrote are removed first, so no stale
// `dev_predictions.jsonl` or log from that run is left beside the new checkpoint; files Docket
// does not write are left alone.
import DocketBase
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fine-tuning output directory that cannot be used as given.
public enum FineTuneOutputError: Error, Equatable, CustomStringConvertible, LocalizedError, Sendable {
    /// The directory holds files and neither resume nor overwrite was asked for.
    case notEmpty(directory: String, resumable: Bool)
    case cannotClear(file: String, detail: String)
    /// Another process is fine-tuning into the same directory (it holds the lock file).
    case locked(directory: String, lockFile: String, owner: String)

    public var description: String {
        switch self {
        case let .notEmpty(directory, resumable):
            let hint = resumable ? "--resume to continue the run saved there, or --overwrite-output to replace it"
                                 : "--overwrite-output to replace its checkpoint, or another --output"
            return "\(directory): the output directory is not empty; use \(hint)"
        case let .cannotClear(file, detail): return "\(file): cannot remove the earlier run's file: \(detail)"
        case let .locked(directory, lockFile, owner):
            return "\(directory): another docket finetune is writing this output directory (\(owner) holds \(lockFile)); "
                + "wait for it to finish or choose another --output"
        }
    }

    public var errorDescription: String? { description }
}

enum FineTuneOutput {
    /// Names an earlier run may have left (tokenizer files and SentencePiece `*.model` too).
    static let runFiles = Set(["config.json", "model.safetensors", CheckpointMetadata.fileName,
                               "dev_predictions.jsonl", "training_log.jsonl", "training_state"] + CheckpointWriter.tokenizerFileNames)

    static let lockName = ".docket-finetune.lock"

    /// Takes the output directory's lock (flock on a hidden lock file, released when the
    /// returned object goes away or the process dies), so two runs never write one directory.
    static func lock(_ directory: URL) throws -> OutputLock {
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw TrainingError.io(file: directory.path, message: "cannot create the output directory: \(FileProblem.writing(directory.path, error: error))")
        }
        let path = directory.appendingPathComponent(lockName).path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw TrainingError.io(file: path, message: "cannot create the lock file: \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buf = [UInt8](repeating: 0, count: 64)
            let n = read(fd, &buf, buf.count)
            close(fd)
            let pid = String(decoding: buf.prefix(max(0, n)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw FineTuneOutputError.locked(directory: directory.path, lockFile: path, owner: pid.isEmpty ? "another process" : "process \(pid)")
        }
        _ = ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        return OutputLock(fd: fd, path: path)
    }

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

/// A held output-directory lock; removing the file and closing the descriptor releases it.
final class OutputLock {
    private let fd: Int32
    private let path: String
    init(fd: Int32, path: String) { self.fd = fd; self.path = path }
    deinit { unlink(path); close(fd) }
}
