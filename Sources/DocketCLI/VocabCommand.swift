import ArgumentParser

// Placeholder: replaced by the issue that implements `vocab`.
struct VocabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vocab", abstract: "Train WordPiece or SentencePiece vocabularies.")
    func run() async throws { throw ValidationError("'vocab' is not implemented yet") }
}
