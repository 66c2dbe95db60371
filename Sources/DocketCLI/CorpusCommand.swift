import ArgumentParser
import Foundation
import Docket
import Legal

/// `docket corpus generate`: writes the embedded legal corpus (train/dev/test JSONL).
struct CorpusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus", abstract: "Generate the embedded legal corpus.",
        subcommands: [CorpusGenerateCommand.self, CorpusBaselineCommand.self], defaultSubcommand: CorpusGenerateCommand.self)
}

extension LegalCorpusGenerator.Kind: ExpressibleByArgument {}

struct CorpusGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write train.jsonl, dev.jsonl and test.jsonl ({\"text\",\"label\",\"id\"}) with a stratified split.")

    @Option(help: "realistic (5 classes, 2,000/250/250, ~12% ambiguous) or template (the original 800-document corpus).")
    var kind: LegalCorpusGenerator.Kind = .realistic

    @Option(help: "Seed of the generator (the committed Corpora/ uses 42).")
    var seed: UInt64 = 42

    @Option(help: "Output directory.")
    var output: String = "Corpora"

    func run() async throws {
        let dir = URL(fileURLWithPath: output)
        let corpus: LegalCorpus
        do {
            corpus = try LegalCorpusGenerator(kind: kind, seed: seed).generate()
            try corpus.write(to: dir)
        } catch {
            throw CLIError("\(error)")
        }
        for (split, counts) in corpus.classCounts() {
            let total = counts.values.reduce(0, +)
            let perClass = LegalClass.labelNames.map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: ", ")
            print("\(split): \(total) documents (\(perClass))")
        }
        print("ambiguous documents: \(corpus.ambiguousIDs.count); written to \(dir.path)")
    }
}

/// `docket corpus baseline`: the linear baseline (TF-IDF 1-2-grams + balanced logistic regression).
struct CorpusBaselineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Train the linear baseline (TF-IDF + logistic regression) on a labelled file and print its accuracy on another.")

    @Option(help: "Labelled training file (JSONL, CSV or class folders).")
    var train: String = "Corpora/train.jsonl"
    @Option(help: "Labelled test file.")
    var test: String = "Corpora/test.jsonl"
    @Flag(help: "Print the score as JSON.")
    var json = false

    func run() async throws {
        do {
            let trainSet = try LabeledExample.load(from: train), testSet = try LabeledExample.load(from: test)
            let (score, model) = try LinearBaseline.score(trainTexts: trainSet.map(\.text), trainLabels: trainSet.map(\.label),
                                                          testTexts: testSet.map(\.text), testLabels: testSet.map(\.label))
            let macroF1 = score.macroF1 ?? 0
            if json {
                print("{\"baseline\":\(JSONParser.quote(score.name)),\"train\":\(JSONParser.quote(train)),\"test\":\(JSONParser.quote(test)),\"accuracy\":\(score.accuracy),\"macro_f1\":\(macroF1),\"correct\":\(score.correct),\"total\":\(score.total)}")
            } else {
                print("Baseline (\(score.name)) trained on \(train) (\(trainSet.count) documents, vocabulary \(model.vocabularySize)): accuracy on \(test) \(String(format: "%.2f", score.accuracy * 100))% (\(score.correct)/\(score.total)), macro-F1 \(String(format: "%.4f", macroF1))")
            }
        } catch {
            throw CLIError("\(error)")
        }
    }
}
