// `docket init`: a freshly initialised model directory (config + weights + tokenizer).
import ArgumentParser
import Docket
import Foundation

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a freshly initialised model directory from a config.")

    @Option(help: "config.json (DistilBERT or BERT family).") var config: String
    @Option(help: "Tokenizer: vocab.txt, tokenizer.json, .model or a directory; sets vocab_size.") var tokenizer: String
    @Option(help: "Output directory.") var output: String
    @Option(help: "Comma-separated label names (id order).") var labels: String?
    @Option(help: "Initialisation seed.") var seed: UInt64 = 42
    @Option(help: "Classification-head pooling: cls, mean or max (recorded in config.json).") var pooling: String?

    func validate() throws {
        if let pooling, HeadPooling(rawValue: pooling) == nil { throw ValidationError("--pooling must be cls, mean or max") }
    }

    func run() async throws {
        let names = labels.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
        do {
            let model = try CheckpointWriter.initialize(config: URL(fileURLWithPath: config), tokenizer: URL(fileURLWithPath: tokenizer),
                                                        output: URL(fileURLWithPath: output), labels: names, seed: seed,
                                                        pooling: pooling.flatMap(HeadPooling.init(rawValue:)))
            print("initialised \(model.config.family.rawValue) model (\(model.parameterCount) parameters, vocab \(model.config.vocabSize), labels \(model.config.labels.joined(separator: ","))) in \(output)")
        } catch { throw CLIError("\(error)") }
    }
}
