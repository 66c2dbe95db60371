import ArgumentParser
import Foundation
import Legal

/// `docket corpus generate`: writes the embedded legal corpus (train/dev/test JSONL).
struct CorpusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus", abstract: "Generate the embedded legal corpus.",
        subcommands: [CorpusGenerateCommand.self], defaultSubcommand: CorpusGenerateCommand.self)
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
        let corpus = LegalCorpusGenerator(kind: kind, seed: seed).generate()
        let dir = URL(fileURLWithPath: output)
        do {
            try corpus.write(to: dir)
        } catch {
            throw CLIError("cannot write the corpus to \(dir.path): \(error.localizedDescription)")
        }
        for (split, counts) in corpus.classCounts() {
            let total = counts.values.reduce(0, +)
            let perClass = LegalClass.labelNames.map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: ", ")
            print("\(split): \(total) documents (\(perClass))")
        }
        print("ambiguous documents: \(corpus.ambiguousIDs.count); written to \(dir.path)")
    }
}
