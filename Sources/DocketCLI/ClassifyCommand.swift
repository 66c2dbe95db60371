// `docket classify`: batch classification with a checkpoint directory. Reads JSONL / CSV /
// plain text / a folder of .txt files (stdin when --input is absent) in chunks (one batch at
// first, doubling up to 1024 documents; on a pipe, whatever arrived within 0.2 s), writes one
// JSONL line per document in input order to stdout as each chunk is done, or atomically to
// --output (temp file renamed at the end). Progress: ProgressRenderer on stderr.
// Under mpirun every rank reads and tokenizes each chunk, runs the forward of its share of the
// chunk's batches (batch r, r+N, …), and rank 0 gathers the logits and writes every line in
// input order: the same file as one process with --workers 1.
import ArgumentParser
import Docket
import Foundation

struct ClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify documents in batch with a checkpoint directory.",
        discussion: """
        Input: JSONL with a "text" field (other fields are copied to the output), CSV with a \
        "text" column, a plain-text file (one document per line), or a directory of .txt files; \
        stdin when --input is absent. Output: JSONL in input order with "label", "score", \
        "probabilities", "logits" (label-id order) and the copied fields; a multi-label model \
        (problem_type multi_label_classification) adds "labels": every label whose sigmoid \
        probability is above its decision threshold (config.json docket_decision_thresholds, else 0.5).
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

    @Option(help: "Maximum tokens per sequence, special tokens included (default: the training max length recorded in docket.json, else the model's, at most 512).")
    var maxLength: Int?

    @Option(help: "Also list the K most probable labels as \"top_k\".")
    var topK: Int?

    @OptionGroup var long: LongDocumentOptions
    @OptionGroup var precision: PrecisionOptions

    @Flag(help: "Run a checkpoint that has no classification head (a bare encoder): its head is random.")
    var allowMissingHead = false

    @Option(help: "Concurrent forward passes (each its own workspace); 1 lets one forward use every core (products split over them).")
    var workers = 1

    static let chunkSize = 1024
    /// Seconds to wait for more piped input once a document has arrived.
    static let arrivalWait: TimeInterval = 0.2

    func validate() throws {
        try FlagLimits.check(batchSize, "--batch-size", FlagLimits.batchSize)
        try FlagLimits.check(workers, "--workers", FlagLimits.workers)
        try FlagLimits.check(topK, "--top-k", FlagLimits.topK)
        try FlagLimits.check(maxLength, "--max-length", FlagLimits.maxLength)
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1") }
        if let maxLength, maxLength < 3 { throw ValidationError("--max-length must be at least 3") }
        if let format, DocumentFormat(rawValue: format) == nil {
            throw ValidationError("--format must be one of \(DocumentFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let ranks = try Ranks.start()
        do { try Ranks.run(ranks, command: "classify") { try classifyAll(ranks: ranks) } } catch { throw CLIError("\(error)") }
    }

    private func makeClassifier() throws -> TextClassifier {
        var options = TextClassifier.Options(maxLength: maxLength, concurrency: workers, topK: topK ?? 1, precision: precision.precision)
        options.allowMissingHead = allowMissingHead
        return try long.makeClassifier(model: model, options: options)
    }

    private func classifyAll(ranks: Collective) throws {
        if ranks.size > 1 && input == nil { throw CLIError("under mpirun give --input (standard input reaches rank 0 only)") }
        let classifier = try makeClassifier()
        let reader = try DocumentReader(path: input, format: format.flatMap(DocumentFormat.init(rawValue:)))
        let sink = ranks.isRoot ? try PredictionWriter(path: output) : nil
        let progress = ProgressRenderer()
        progress.muted = !ranks.isRoot
        let chunked = classifier.longDocuments.name == "chunk"
        var done = 0
        var readBefore: Double? = 0
        // Chunks grow from one batch to `chunkSize` documents, so the first lines come out
        // quickly; on a pipe a chunk is what arrived within `arrivalWait` seconds.
        var chunk = batchSize
        while case let docs = try reader.next(max: chunk, wait: Self.arrivalWait), !docs.isEmpty {
            chunk = min(Self.chunkSize, chunk * 2)
            // Interpolate the input fraction across the chunk for the ETA.
            let base = done, count = docs.count, before = readBefore, after = reader.fractionRead
            let preds = try classify(docs, with: classifier, ranks: ranks) { seqDone, seqTotal in
                let part = Double(seqDone) / Double(max(seqTotal, 1))
                progress.status(progress.throughput("classified documents", done: base + Int(Double(count) * part), total: nil,
                                                    fraction: after.map { ($0 - (before ?? 0)) * part + (before ?? 0) }))
            }
            readBefore = after
            if let sink, let preds {
                try sink.write(zip(docs, preds).map { d, p in
                    p.record(labels: classifier.labels, document: d, includeTopK: topK != nil, includeWindows: chunked,
                             multiLabel: classifier.problemType == .multiLabel)
                })
            }
            done += docs.count
            progress.status(progress.throughput("classified documents", done: done, total: nil, fraction: reader.fractionRead))
        }
        progress.finish("classified \(count(done, "document")) in \(String(format: "%.1f", progress.elapsed))s")
        if let skipped = reader.skippedNotice { FileHandle.standardError.write(Data("note: \(skipped)\n".utf8)) }
        try sink?.commit()
    }
}

extension ClassifyCommand {
    /// Classifies one chunk: over the MPI ranks, or on `--workers` concurrent workers
    /// (TextClassifier.classifyOnWorkers: contiguous slices, one workspace each).
    fileprivate func classify(_ docs: [Document], with classifier: TextClassifier, ranks: Collective,
                              progress: @escaping @Sendable (Int, Int) -> Void) throws -> [Prediction]? {
        if ranks.size > 1 {
            return try classifier.classify(docs.map(\.text), pairs: docs.map(\.textPair), batchSize: batchSize,
                                           collective: ranks, progress: progress)
        }
        return try classifier.classifyOnWorkers(docs.map(\.text), pairs: docs.map(\.textPair), batchSize: batchSize, progress: progress)
    }
}
