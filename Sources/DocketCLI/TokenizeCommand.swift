import ArgumentParser

// Placeholder: replaced by the issue that implements `tokenize`.
struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize", abstract: "Tokenize JSONL text with a WordPiece or SentencePiece tokenizer.")
    func run() async throws { throw ValidationError("'tokenize' is not implemented yet") }
}
