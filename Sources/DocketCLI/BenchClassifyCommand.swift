import ArgumentParser

// Placeholder: replaced by the issue that implements `classify`.
struct BenchClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "classify", abstract: "Benchmark inference throughput and latency.")
    func run() async throws { throw ValidationError("'classify' is not implemented yet") }
}
