import ArgumentParser

// Placeholder: replaced by the issue that implements `corpus`.
struct CorpusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "corpus", abstract: "Generate the embedded legal corpus.")
    func run() async throws { throw ValidationError("'corpus' is not implemented yet") }
}
