// `docket train-linear`: TF-IDF + logistic regression (scikit-learn's TfidfVectorizer +
// LogisticRegression, see Sources/Docket/Linear) → a model directory every command loads.
import ArgumentParser
import Docket
import Foundation

struct TrainLinearCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-linear",
        abstract: "Train a TF-IDF + logistic regression classifier (seconds; a strong baseline).",
        discussion: "Writes OUTPUT/linear_model.json and OUTPUT/linear_model.safetensors, loaded by evaluate, classify, ensemble and TextClassifier. "
            + "With several --c values, C is chosen by stratified k-fold cross-validation on the training file (macro-F1).")

    @Option(help: "Training data (JSONL/CSV with text and label, or class folders).") var train: String
    @Option(help: "Dev data: accuracy and macro-F1 printed after training.") var dev: String?
    @Option(help: "Output model directory.") var output: String
    @Option(help: "Inverse regularisation strength C (sklearn); comma-separated values are cross-validated.") var c: String = "1"
    @Option(help: "balanced, none, or w1,w2,... in sorted-label order.") var classWeights: String = "balanced"
    @Option(help: "Word n-grams 1...N.") var ngramMax: Int = 2
    @Option(help: "Keep terms found in at least this many training documents.") var minDf: Int = 1
    @Option(help: "Keep only the N most frequent terms.") var maxFeatures: Int?
    @Option(help: "Folds for cross-validating several --c values.") var folds: Int = 5
    @Option(help: "L-BFGS stops when the largest gradient component is at most this.") var tolerance: Double = 1e-6
    @Option(help: "L-BFGS iteration limit.") var maxIterations: Int = 2000

    func validate() throws {
        guard (1...TfidfVectorizer.ngramLimit).contains(ngramMax) else { throw ValidationError("--ngram-max must be in 1...\(TfidfVectorizer.ngramLimit)") }
        guard minDf >= 1 else { throw ValidationError("--min-df must be at least 1") }
        if let maxFeatures, maxFeatures < 1 { throw ValidationError("--max-features must be at least 1") }
        guard (2...20).contains(folds) else { throw ValidationError("--folds must be in 2...20") }
        guard tolerance > 0, maxIterations >= 1, maxIterations <= 1_000_000 else { throw ValidationError("--tolerance must be positive, --max-iterations in 1...1000000") }
        _ = try cValues()
        if classWeights != "none" { do { _ = try ClassWeightSpec(parsing: classWeights) } catch { throw ValidationError("--class-weights: \(error)") } }
    }

    func cValues() throws -> [Double] {
        let values = c.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.count <= 50, values.allSatisfy({ ($0 ?? 0) > 0 && $0!.isFinite }) else {
            throw ValidationError("--c must be positive numbers separated by commas (at most 50)")
        }
        return values.map { $0! }
    }

    func run() async throws {
        do { try trainLinear() } catch { throw CLIError("\(error)") }
    }

    private func trainLinear() throws {
        let examples = try LabeledExample.load(from: train)
        var options = LinearModelOptions()
        options.maxNgram = ngramMax; options.minDocumentFrequency = minDf; options.maxFeatures = maxFeatures
        options.classWeights = classWeights == "none" ? nil : try ClassWeightSpec(parsing: classWeights)
        options.tolerance = tolerance; options.maxIterations = maxIterations
        let cs = try cValues()
        options.c = cs[0]
        if cs.count > 1 {
            let progress = ProgressRenderer()
            let scores = try LinearTextModel.crossValidate(texts: examples.map(\.text), labels: examples.map(\.label),
                                                           options: options, cValues: cs, folds: folds) { progress.line($0) }
            options.c = scores.max { $0.macroF1 < $1.macroF1 }!.c
            print("chose C = \(options.c) by \(folds)-fold cross-validation (macro-F1)")
        }
        let (model, summary) = try LinearTextModel.train(texts: examples.map(\.text), labels: examples.map(\.label), options: options)
        try model.save(to: URL(fileURLWithPath: output))
        print("trained on \(summary.documents) documents, \(summary.features) features, \(summary.iterations) L-BFGS iterations"
              + (summary.converged ? "" : " (not converged: raise --max-iterations)") + String(format: ", %.1f s", summary.seconds))
        if let dev {
            let devSet = try LabeledExample.load(from: dev, labels: Set(model.labels))
            let s = try LinearTextModel.score(model, texts: devSet.map(\.text), labels: devSet.map(\.label))
            print(String(format: "dev: accuracy %.4f, macro-F1 %.4f (%d documents)", s.accuracy, s.macroF1, devSet.count))
        }
        print("model: \(output)")
    }
}
