import ArgumentParser

// Placeholder: replaced by the issue that implements `train`.
struct BenchTrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Benchmark training throughput.")
    func run() async throws { throw ValidationError("'train' is not implemented yet") }
}
