import ArgumentParser

// Placeholder: replaced by the issue that implements `tokenize`.
struct BenchTokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize", abstract: "Benchmark tokenizer throughput.")
    func run() async throws { throw ValidationError("'tokenize' is not implemented yet") }
}
