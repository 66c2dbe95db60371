// `docket ensemble`: copy member model directories (encoders, linear models) into one
// directory with ensemble.json; weights given or fitted on a labelled dev file (class-balanced
// NLL of the log-linear pool, see Sources/Docket/Ensemble.swift). Prints each member's and the
// ensemble's dev scores, plus a cross-fitted estimate (weights fitted on the other dev folds).
import ArgumentParser
import Docket
import Foundation

struct EnsembleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ensemble",
        abstract: "Combine classifiers (encoder and/or linear model directories) into one ensemble model directory.")

    @Option(name: .customLong("member"), help: "A member model directory (repeat; 2–16).") var members: [String]
    @Option(help: "Weights w1,w2,... (default: fitted on --dev).") var weights: String?
    @Option(help: "Labelled dev file the weights are fitted on (and scored on).") var dev: String?
    @Option(help: "Output ensemble directory (members are copied into it).") var output: String
    @Option(help: "Maximum tokens per sequence for encoder members (default: each model's); recorded in ensemble.json.") var maxLength: Int?
    @Option(help: "Sequences per forward pass.") var batchSize = 16
    @Option(help: "Folds of the cross-fitted dev estimate.") var folds = 5

    func validate() throws {
        guard (2...16).contains(members.count) else { throw ValidationError("give 2 to 16 --member directories") }
        guard weights != nil || dev != nil else { throw ValidationError("give --weights or --dev to fit them on") }
        if let w = try parsedWeights(), w.count != members.count { throw ValidationError("--weights has \(w.count) values for \(members.count) members") }
        guard batchSize >= 1, (2...20).contains(folds) else { throw ValidationError("--batch-size must be ≥ 1 and --folds in 2...20") }
        if let maxLength, maxLength < 3 { throw ValidationError("--max-length must be at least 3") }
    }

    func parsedWeights() throws -> [Double]? {
        guard let weights else { return nil }
        let w = weights.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard w.allSatisfy({ ($0 ?? -1) >= 0 && $0!.isFinite }) else { throw ValidationError("--weights must be non-negative numbers") }
        return w.map { $0! }
    }

    func run() async throws {
        do { try build() } catch { throw CLIError("\(error)") }
    }

    private func build() throws {
        let out = URL(fileURLWithPath: output)
        let fm = FileManager.default
        try fm.createDirectory(at: out, withIntermediateDirectories: true)
        var loaded: [Ensemble.Member] = []
        for (i, path) in members.enumerated() {
            let source = URL(fileURLWithPath: path)
            let kind = LinearTextModel.isLinearModel(source) ? "linear" : "encoder"
            let name = "member-\(i)-\(kind)"
            try copyModel(from: source, to: out.appendingPathComponent(name))
            let classifier = try TextClassifier(directory: out.appendingPathComponent(name), options: .init(maxLength: maxLength))
            loaded.append(.init(directory: name, weight: 1, classifier: classifier, maxLength: kind == "encoder" ? maxLength : nil))
        }
        var ensemble = try Ensemble(members: loaded)
        var fittedOn = "given weights"
        if let dev {
            let examples = try LabeledExample.load(from: dev, labels: Set(ensemble.labels))
            let gold = examples.map { ensemble.labels.firstIndex(of: $0.label)! }
            let probs = try ensemble.memberProbabilities(examples.map(\.text), batchSize: batchSize)
            let w = try parsedWeights() ?? Ensemble.fitWeights(probs, gold: gold, classes: ensemble.labels.count)
            if weights == nil { fittedOn = "balanced_nll on \(dev)" }
            for (m, p) in zip(loaded, probs) { report("member \(m.directory)", p, gold, ensemble.labels.count) }
            report("ensemble on dev (weights fitted on this dev set: optimistic)", Ensemble.pool(probs, weights: w), gold, ensemble.labels.count)
            if weights == nil {
                report("ensemble, \(folds)-fold cross-fitted on dev (honest estimate)",
                       Ensemble.crossFitted(probs, gold: gold, classes: ensemble.labels.count, folds: folds), gold, ensemble.labels.count)
            }
            ensemble = try Ensemble(members: zip(loaded, w).map { .init(directory: $0.directory, weight: $1, classifier: $0.classifier, maxLength: $0.maxLength) })
        } else if let w = try parsedWeights() {
            ensemble = try Ensemble(members: zip(loaded, w).map { .init(directory: $0.directory, weight: $1, classifier: $0.classifier, maxLength: $0.maxLength) })
        }
        try ensemble.saveConfig(to: out, fittedOn: fittedOn)
        print("weights: " + ensemble.members.map { "\($0.directory) \(String(format: "%.4f", $0.weight))" }.joined(separator: ", "))
        print("ensemble: \(out.path)")
    }

    private func report(_ what: String, _ probabilities: [[Double]], _ gold: [Int], _ classes: Int) {
        let predicted = probabilities.map { p in p.indices.max { p[$0] < p[$1] } ?? 0 }
        let s = LinearTextModel.metrics(gold: gold, predicted: predicted, classes: classes)
        print(String(format: "%@: accuracy %.4f, macro-F1 %.4f", what, s.accuracy, s.macroF1))
    }

    /// Copies a model directory's files (not its resumable training_state) into `target`.
    private func copyModel(from source: URL, to target: URL) throws {
        let fm = FileManager.default
        guard !Ensemble.isEnsemble(source) else { throw CLIError("\(source.path): an ensemble cannot be a member") }
        if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
        try fm.createDirectory(at: target, withIntermediateDirectories: true)
        let items: [String]
        do { items = try fm.contentsOfDirectory(atPath: source.path) } catch { throw CLIError("\(source.path): cannot read the model directory (\(error.localizedDescription))") }
        for item in items where item != "training_state" {
            try fm.copyItem(at: source.appendingPathComponent(item), to: target.appendingPathComponent(item))
        }
    }
}
