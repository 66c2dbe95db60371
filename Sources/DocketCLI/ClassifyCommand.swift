import ArgumentParser

// Placeholder: replaced by the issue that implements `classify`.
struct ClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "classify", abstract: "Classify documents in batch with a checkpoint directory.")
    func run() async throws { throw ValidationError("'classify' is not implemented yet") }
}
