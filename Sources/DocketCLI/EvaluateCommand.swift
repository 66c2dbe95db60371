// `docket evaluate`: classify a labelled test file with a checkpoint and print accuracy,
// per-class metrics, the confusion matrix, calibration (ECE; temperature scaling fitted on
// --calibrate) and the savings report; `--json` prints one JSON document instead, and
// `--report DIR` writes DIR/report.html. All the work is library code (Docket, Legal).
import ArgumentParser
import Docket
import Foundation
import Legal

struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a classifier: metrics, calibration, savings report.",
        discussion: "The test file (JSONL, CSV or one folder per class) must carry a label for every document.")

    @Option(help: "Checkpoint directory (config.json, model.safetensors, tokenizer).")
    var model: String
    @Option(help: "Labelled test file or class-folder directory.")
    var test: String
    @Flag(help: "Print one JSON document with every input and output figure on stdout.")
    var json = false
    @Option(help: "Write DIR/report.html (self-contained, inline SVG charts).")
    var report: String?
    @Option(help: "Labelled dev file: fit temperature scaling on it (ECE after scaling) and choose the auto routing threshold on it.")
    var calibrate: String?
    @Option(help: "Train the baseline (TF-IDF 1-2-grams + balanced logistic regression) on this labelled file and score it on the test file.")
    var baseline: String?
    @Option(help: "Write one JSONL line per test document: line, gold label, predicted label, confidence, probabilities.")
    var predictions: String?
    @Option(help: "Training log for the report's curves (default: MODEL/training_log.jsonl when present).")
    var trainingLog: String?
    @OptionGroup var long: LongDocumentOptions
    @Option(help: "Sequences per forward pass.")
    var batchSize = 32
    @Option(help: "Maximum tokens per sequence, special tokens included (default: the training max length recorded in docket.json, else the model's).")
    var maxLength: Int?
    @Flag(help: "Evaluate a checkpoint that has no classification head (a bare encoder): its head is random.")
    var allowMissingHead = false
    @OptionGroup var savings: SavingsOptions
    @OptionGroup var precision: PrecisionOptions

    func validate() throws {
        try FlagLimits.check(batchSize, "--batch-size", FlagLimits.batchSize)
        try FlagLimits.check(maxLength, "--max-length", FlagLimits.maxLength)
        if let maxLength, maxLength < 3 { throw ValidationError("--max-length must be at least 3") }
    }

    func run() async throws {
        do { try evaluate() } catch {
            throw CLIError("\(error)")
        }
    }

    private func evaluate() throws {
        let classifier = try makeClassifier()
        if classifier.problemType == .multiLabel { return try evaluateMultiLabel(classifier) }
        let labels = classifier.labels
        let (testExamples, skipped) = try LabeledExample.loadReportingSkips(from: test, labels: Set(labels))
        if let skipped { FileHandle.standardError.write(Data("note: \(skipped)\n".utf8)) }
        let testSet = try singleLabel(testExamples, test)
        let dev = try calibrate.map { path in
            let examples = try singleLabel(LabeledExample.load(from: path, labels: Set(labels)), path)
            return (gold: examples.map { labels.firstIndex(of: $0.label) ?? 0 },
                    probabilities: try probabilities(examples, classifier, what: "calibration"))
        }
        let evaluation = try EvaluationReport.make(
            labels: labels, gold: testSet.map { labels.firstIndex(of: $0.label) ?? 0 },
            probabilities: try probabilities(testSet, classifier, what: "test"), dev: dev)
        let devDocuments = dev.map { zip($0.gold, $0.probabilities).map { EvaluatedDocument(gold: $0, probabilities: $1) } }
        let costs = try savings.costMatrix.map { try CostMatrix.load(URL(fileURLWithPath: $0), labels: labels) }
        let inputs = LegalEvaluation.Inputs(model: model, test: test, calibrationSet: calibrate, costMatrixFile: savings.costMatrix,
                                            threshold: savings.threshold, longDocuments: classifier.longDocuments.name, maxLength: classifier.maxLength,
                                            batchSize: batchSize, precision: classifier.precision.rawValue)
        let result = try LegalEvaluation.make(inputs: inputs, evaluation: evaluation, parameters: savings.parameters, costs: costs,
                                              threshold: try savings.fixedThreshold, baseline: try baselineScore(testSet),
                                              trainingCurve: try trainingCurve(), devDocuments: devDocuments)
        if json {
            FileHandle.standardOutput.write(try result.jsonData() + Data("\n".utf8))
        } else {
            print(result.renderText(), terminator: "")
        }
        if let predictions { try writePredictions(evaluation, testSet, to: predictions) }
        if let report {
            let url = try result.writeHTMLReport(to: URL(fileURLWithPath: report), command: commandLine())
            let note = "HTML report written to \(url.path)\n"
            if json { FileHandle.standardError.write(Data(note.utf8)) } else { print(note, terminator: "") }
        }
    }

    /// Gold label lists need a multi-label model.
    private func singleLabel(_ examples: [LabeledExample], _ path: String) throws -> [LabeledExample] {
        if let e = examples.first(where: \.isMultiLabel) {
            throw CLIError("\(path):\(e.line): \"labels\" lists need a multi-label model; \(model) is single-label (give \"label\")")
        }
        return examples
    }

    /// A multi-label model: subset accuracy, micro/macro and per-label P/R/F1 at the checkpoint's
    /// decision thresholds (text, or --json); the single-label report options do not apply.
    private func evaluateMultiLabel(_ classifier: TextClassifier) throws {
        let unsupported = [("--report", report), ("--calibrate", calibrate), ("--baseline", baseline),
                           ("--cost-matrix", savings.costMatrix)].filter { $0.1 != nil }.map(\.0)
        if !unsupported.isEmpty {
            throw CLIError("\(unsupported.joined(separator: ", ")): not available for a multi-label model (\(model) has problem_type multi_label_classification)")
        }
        let testSet = try LabeledExample.load(from: test, labels: Set(classifier.labels))
        let result = try MultiLabelEvaluation.make(classifier: classifier, examples: testSet, batchSize: batchSize)
        if json { FileHandle.standardOutput.write(try result.jsonData() + Data("\n".utf8)) } else { print(result.renderText(), terminator: "") }
        if let predictions {
            let records = testSet.indices.map { i in
                PredictionRecord.evaluated(line: testSet[i].line, labels: result.labels, gold: result.gold[i],
                                           predicted: result.predicted[i], probabilities: result.probabilities[i])
            }
            do { try PredictionWriter.write(records, to: URL(fileURLWithPath: predictions)) } catch {
                throw CLIError("\(predictions): cannot write the predictions (\(error.localizedDescription))")
            }
        }
    }

    private func makeClassifier() throws -> TextClassifier {
        var options = TextClassifier.Options(maxLength: maxLength, precision: precision.precision)
        options.allowMissingHead = allowMissingHead
        return try long.makeClassifier(model: model, options: options)
    }

    /// Probabilities in label-id order, one row per example; progress through the shared renderer.
    private func probabilities(_ examples: [LabeledExample], _ classifier: TextClassifier, what: String) throws -> [[Double]] {
        let progress = ProgressRenderer()
        let predictions = try classifier.classify(examples.map(\.text), pairs: examples.map(\.textPair), batchSize: batchSize) { done, total in
            progress.status(progress.throughput("\(what) sequences", done: done, total: total))
        }
        progress.finish("\(what): \(count(examples.count, "document")) in \(String(format: "%.1f", progress.elapsed))s")
        return predictions.map { p in classifier.labels.map { Double(p.probabilities[$0] ?? 0) } }
    }

    private func baselineScore(_ testSet: [LabeledExample]) throws -> BaselineScore? {
        guard let baseline else { return nil }
        let train = try LabeledExample.load(from: baseline)
        return try LinearBaseline.score(trainTexts: train.map(\.text), trainLabels: train.map(\.label),
                                        testTexts: testSet.map(\.text), testLabels: testSet.map(\.label)).score
    }

    private func trainingCurve() throws -> TrainingCurve? {
        if let trainingLog { return try TrainingCurve.load(URL(fileURLWithPath: trainingLog)) }
        let url = URL(fileURLWithPath: model).appendingPathComponent("training_log.jsonl")
        return FileManager.default.fileExists(atPath: url.path) ? try TrainingCurve.load(url) : nil
    }

    /// {"line": n, "label": gold, "predicted": label, "confidence": p, "probabilities": {label: p}} per test document.
    private func writePredictions(_ evaluation: EvaluationReport, _ examples: [LabeledExample], to path: String) throws {
        let records = zip(evaluation.documents, examples).map { d, e in
            PredictionRecord.evaluated(line: e.line, labels: evaluation.labels, document: d)
        }
        do { try PredictionWriter.write(records, to: URL(fileURLWithPath: path)) } catch {
            throw CLIError("\(path): cannot write the predictions (\(FileProblem.writing(path, error: error)))")
        }
    }

    private func commandLine() -> String {
        (["docket"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    }
}
