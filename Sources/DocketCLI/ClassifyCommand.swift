// `docket classify`: batch classification with a checkpoint directory. Reads JSONL / CSV /
// plain text / a folder of .txt files (stdin when --input is absent) in chunks of 1024
// documents, writes one JSONL line per document in input order to stdout, or atomically to
// --output (temp file renamed at the end). Progress goes to stderr only on a terminal.
import ArgumentParser
import Docket
import Foundation
import SafeTensors
#if canImport(Glibc)
import Glibc
#endif

struct ClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify documents in batch with a checkpoint directory.",
        discussion: """
        Input: JSONL with a "text" field (other fields are copied to the output), CSV with a \
        "text" column, a plain-text file (one document per line), or a directory of .txt files; \
        stdin when --input is absent. Output: JSONL in input order with "label", "score", \
        "probabilities", "logits" (label-id order) and the copied fields.
        """)

    @Option(help: "Checkpoint directory (config.json, model.safetensors, vocab.txt or tokenizer.json).")
    var model: String

    @Option(help: "Input file or directory (default: stdin).")
    var input: String?

    @Option(help: "Input format: jsonl, csv, text, directory (default: from the extension).")
    var format: String?

    @Option(help: "Output JSONL file, written atomically (default: stdout).")
    var output: String?

    @Option(help: "Sequences per forward pass.")
    var batchSize = 32

    @Option(help: "Maximum tokens per sequence, special tokens included (default: the model's, at most 512).")
    var maxLength: Int?

    @Option(help: "Also list the K most probable labels as \"top_k\".")
    var topK: Int?

    @OptionGroup var long: LongDocumentOptions
    @OptionGroup var precision: PrecisionOptions

    @Option(help: "Concurrent forward passes (each its own workspace); 1 lets one forward use every core (products split over them).")
    var workers = 1

    static let chunkSize = 1024

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1") }
        if let maxLength, maxLength < 3 { throw ValidationError("--max-length must be at least 3") }
        if let format, DocumentFormat(rawValue: format) == nil {
            throw ValidationError("--format must be one of \(DocumentFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        do { try classifyAll() } catch { throw CLIError("\(error)") }
    }

    private func makeClassifier() throws -> TextClassifier {
        try long.makeClassifier(model: model, options: .init(maxLength: maxLength, concurrency: workers, topK: topK ?? 1,
                                                                  precision: precision.precision), command: "classify")
    }

    private func classifyAll() throws {
        let classifier = try makeClassifier()
        let reader = try DocumentReader(path: input, format: format.flatMap(DocumentFormat.init(rawValue:)))
        let sink = try OutputSink(path: output)
        let progress = ProgressLine(enabled: isatty(2) != 0)
        let chunked = long.chunked
        var done = 0
        var readBefore: Double? = 0
        while case let docs = try reader.next(max: Self.chunkSize), !docs.isEmpty {
            // Interpolate the input fraction across the chunk for the ETA.
            let base = done, count = docs.count, before = readBefore, after = reader.fractionRead
            let preds = try classify(docs, with: classifier) { seqDone, seqTotal in
                let part = Double(seqDone) / Double(max(seqTotal, 1))
                progress.update(done: base + Int(Double(count) * part),
                                fraction: after.map { ($0 - (before ?? 0)) * part + (before ?? 0) })
            }
            readBefore = after
            var text = ""
            for (d, p) in zip(docs, preds) {
                text += p.jsonLine(labels: classifier.labels, document: d, includeTopK: topK != nil, includeWindows: chunked)
                text += "\n"
            }
            try sink.write(text)
            done += docs.count
            progress.update(done: done, fraction: reader.fractionRead)
        }
        progress.finish(done: done)
        try sink.commit()
    }
}

extension ClassifyCommand {
    /// Classifies one chunk; with several workers, contiguous slices run concurrently.
    fileprivate func classify(_ docs: [Document], with classifier: TextClassifier,
                              progress: @escaping @Sendable (Int, Int) -> Void) throws -> [Prediction] {
        if workers == 1 {
            return try classifier.classify(docs.map(\.text), pairs: docs.map(\.textPair), batchSize: batchSize, progress: progress)
        }
        let slice = (docs.count + workers - 1) / workers
        let results = SliceResults(count: workers)
        let batchSize = self.batchSize
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let part = Array(docs[min(docs.count, w * slice)..<min(docs.count, (w + 1) * slice)])
            results.set(w, Result { try classifier.classify(part.map(\.text), pairs: part.map(\.textPair), batchSize: batchSize) })
        }
        return try results.values.flatMap { try $0!.get() }
    }
}

/// Per-worker results, written from concurrent workers (each its own index) under a lock.
private final class SliceResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<[Prediction], Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<[Prediction], Error>) { lock.lock(); values[i] = r; lock.unlock() }
}

/// stdout, or an atomically written file (the temp file is removed if we fail before commit).
private final class OutputSink {
    private let file: AtomicFileWriter?

    init(path: String?) throws {
        file = try path.map { try AtomicFileWriter(url: URL(fileURLWithPath: $0)) }
    }

    func write(_ text: String) throws {
        if let file { try file.write(text) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    func commit() throws { try file?.commit() }
}

/// "classified N docs, R docs/s, ETA" on stderr, rewritten in place; silent when disabled.
/// Updates come from the classifier's batch callback (possibly several workers): locked.
private final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let start = Date()
    private let lock = NSLock()

    init(enabled: Bool) { self.enabled = enabled }

    func update(done: Int, fraction: Double?) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var line = "\rclassified \(done) documents, \(String(format: "%.1f", rate)) docs/s"
        if let f = fraction, f > 0.001, f < 1 { line += ", ETA \(Int(elapsed * (1 - f) / f))s" }
        FileHandle.standardError.write(Data((line + "   ").utf8))
    }

    func finish(done: Int) {
        guard enabled else { return }
        let elapsed = Date().timeIntervalSince(start)
        FileHandle.standardError.write(Data("\rclassified \(done) documents in \(String(format: "%.1f", elapsed))s\n".utf8))
    }
}
