// `docket vocab train --kind wordpiece|unigram|bpe --vocab-size N --corpus FILE --output PATH`.
// Corpus: JSONL with "text", or plain text (one document per line). WordPiece writes a
// vocab.txt at PATH (BERT uncased normalization unless --cased); unigram/bpe write a .model.
import ArgumentParser
import Docket
import Foundation

struct VocabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocab", abstract: "Train WordPiece or SentencePiece vocabularies.",
        subcommands: [VocabTrainCommand.self])
}

struct VocabTrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Train a vocabulary from a corpus.")

    enum Kind: String, ExpressibleByArgument, CaseIterable { case wordpiece, unigram, bpe }

    @Option(name: .long, help: "wordpiece, unigram or bpe.") var kind: Kind
    @Option(name: .long, help: "Vocabulary size (special tokens included).") var vocabSize: Int
    @Option(name: .long, help: "JSONL with \"text\", or plain text lines.") var corpus: String
    @Option(name: .long, help: "vocab.txt path (wordpiece) or .model path (unigram/bpe).") var output: String
    @Flag(name: .long, help: "WordPiece: keep case and accents (default: BERT uncased); also writes a tokenizer_config.json with do_lower_case false beside the vocab, since a bare vocab.txt loads as uncased.")
    var cased = false
    @Option(name: .long, help: "unigram/bpe: share of characters the model must cover (1.0 = every character seen).")
    var characterCoverage = 0.9995

    func validate() throws {
        if vocabSize < 16 { throw ValidationError("--vocab-size must be at least 16") }
        if vocabSize > 1_000_000 { throw ValidationError("--vocab-size must be at most 1,000,000") }
        if !(characterCoverage > 0.9 && characterCoverage <= 1) { throw ValidationError("--character-coverage must be in (0.9, 1]") }
    }

    func run() async throws {
        let texts = try readCorpusTexts(corpus)
        let progress = ProgressRenderer()
        progress.status("training \(kind.rawValue) vocabulary of \(vocabSize) on \(count(texts.count, "document"))…")
        let outURL = URL(fileURLWithPath: output)
        do {
            switch kind {
            case .wordpiece:
                let norm = cased ? BertNormalization(lowercase: false) : BertNormalization()
                let vocab = try WordPieceTrainer.train(texts: texts, vocabSize: vocabSize, normalization: norm)
                try AtomicFile.write(vocab.joined(separator: "\n") + "\n", to: outURL)
                if cased {
                    let config = #"{"do_lower_case": false, "strip_accents": false, "tokenizer_class": "BertTokenizer"}"# + "\n"
                    try AtomicFile.write(config, to: outURL.deletingLastPathComponent().appendingPathComponent("tokenizer_config.json"))
                }
            case .unigram, .bpe:
                try SentencePieceTrainer.train(texts: texts, type: kind == .bpe ? .bpe : .unigram,
                                               vocabSize: vocabSize, output: outURL, characterCoverage: characterCoverage)
            }
        } catch let e as TokenizerError { throw CLIError("\(e)") } catch let e as CLIError { throw e } catch {
            throw CLIError("\(output): cannot write: \(FileProblem.writing(output, error: error))")
        }
        progress.finish(String(format: "wrote %@ in %.1f s", output, progress.elapsed))
    }
}

/// Corpus texts: JSONL objects with "text" when the first non-blank line is a JSON object,
/// else one document per non-blank line. Invalid UTF-8 or an empty corpus fail with a message.
func readCorpusTexts(_ path: String) throws -> [String] {
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
        throw CLIError("\(path): cannot read: \(FileProblem.reading(path, error: error))")
    }
    let rawLines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    var texts: [String] = []
    var jsonl: Bool? = nil
    for (i, raw) in rawLines.enumerated() {
        guard let line = String(validating: raw, as: UTF8.self) else { throw CLIError("\(path):\(i + 1): invalid UTF-8") }
        if line.allSatisfy(\.isWhitespace) { continue }
        if jsonl == nil { jsonl = line.first == "{" }
        if jsonl == true {
            guard let obj = (try? JSONSerialization.jsonObject(with: Data(raw))) as? [String: Any],
                  let text = obj["text"] as? String else {
                throw CLIError("\(path):\(i + 1): expected a JSON object with a string \"text\"")
            }
            texts.append(text)
        } else {
            texts.append(line)
        }
    }
    if texts.isEmpty { throw CLIError("\(path): empty corpus") }
    return texts
}
