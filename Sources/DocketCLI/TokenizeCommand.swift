// `docket tokenize`: JSONL in ({"text": ..., optional "text_pair": ...}; read by DocumentReader,
// blank texts allowed), JSONL out, in order:
// {"input_ids": [...], "tokens": [...], "attention_mask": [...], "offsets": [[s, e], ...]}
// (+ "token_type_ids" for pairs, + "overflow": [windows] when --stride is given).
import ArgumentParser
import Docket
import Foundation

struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize JSONL text with a WordPiece or SentencePiece tokenizer.",
        discussion: "PATH is a vocab.txt (uncased unless a tokenizer_config.json beside it says otherwise), a tokenizer.json, a SentencePiece .model, or a model directory. Input lines are JSON objects with \"text\" (and optionally \"text_pair\"). Without --max-length nothing is truncated.")

    @Option(name: .long, help: "vocab.txt, tokenizer.json, .model file, or a directory holding one.")
    var tokenizer: String
    @Option(name: .long, help: "Truncate to N tokens, special tokens included.")
    var maxLength: Int?
    @Option(name: .long, help: "Overlap between overflowing windows (requires --max-length); adds \"overflow\".")
    var stride: Int?
    @Flag(name: .long, help: "Do not add [CLS]/[SEP].")
    var noSpecialTokens = false
    @Option(name: .long, help: "JSONL input file ('-' or absent: stdin).")
    var input: String?
    @Option(name: .long, help: "JSONL output file (absent: stdout). Written atomically.")
    var output: String?

    func validate() throws {
        try FlagLimits.check(maxLength, "--max-length", FlagLimits.maxLength)
        try FlagLimits.check(stride, "--stride", FlagLimits.stride)
        if let s = stride {
            if s < 0 { throw ValidationError("--stride must be ≥ 0") }
            if maxLength == nil { throw ValidationError("--stride needs --max-length") }
        }
    }

    func run() async throws {
        let tok: Tokenizer
        do { tok = try Tokenizer.load(from: URL(fileURLWithPath: tokenizer)) } catch { throw CLIError("\(error)") }
        let documents: [Document]
        do {
            let reader = try DocumentReader(path: input, format: .jsonl, options: DocumentReadOptions(allowBlankText: true))
            documents = try reader.readAll()
        } catch { throw CLIError("\(error)") }
        var out = ""
        out.reserveCapacity(documents.count * 256)
        for d in documents {
            let e: Encoding
            do {
                e = try tok.encode(d.text, pair: d.textPair, addSpecialTokens: !noSpecialTokens, maxLength: maxLength, stride: stride ?? 0)
            } catch { throw CLIError("\(d.source):\(d.line): \(error)") }
            out += encodingJSON(e, withTypes: d.textPair != nil, overflow: stride != nil)
            out += "\n"
        }
        try writeOutput(out, to: output)
    }
}

func writeOutput(_ text: String, to path: String?) throws {
    if let path, path != "-" {
        do { try AtomicFile.write(text, to: URL(fileURLWithPath: path)) } catch {
            throw CLIError("\(path): cannot write: \(FileProblem.writing(path, error: error))")
        }
    } else {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// One encoding as a JSON object (keys in the documented order).
func encodingJSON(_ e: Encoding, withTypes: Bool, overflow: Bool) -> String {
    var s = "{\"input_ids\": [" + e.ids.map(String.init).joined(separator: ", ") + "]"
    s += ", \"tokens\": [" + e.tokens.map(JSONParser.quote).joined(separator: ", ") + "]"
    s += ", \"attention_mask\": [" + e.attentionMask.map(String.init).joined(separator: ", ") + "]"
    s += ", \"offsets\": [" + e.offsets.map { "[\($0.start), \($0.end)]" }.joined(separator: ", ") + "]"
    if withTypes { s += ", \"token_type_ids\": [" + e.typeIds.map(String.init).joined(separator: ", ") + "]" }
    if overflow {
        s += ", \"overflow\": [" + e.overflowing.map { encodingJSON($0, withTypes: withTypes, overflow: false) }.joined(separator: ", ") + "]"
    }
    return s + "}"
}

