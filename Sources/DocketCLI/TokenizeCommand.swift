// `docket tokenize`: JSONL in ({"text": ..., optional "text_pair": ...}), JSONL out, in order:
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
        let source = input ?? "-"
        let lines = try readJSONLTexts(source)
        var out = ""
        out.reserveCapacity(lines.count * 256)
        for (lineNo, text, pair) in lines {
            let e: Encoding
            do {
                e = try tok.encode(text, pair: pair, addSpecialTokens: !noSpecialTokens, maxLength: maxLength, stride: stride ?? 0)
            } catch { throw CLIError("\(source):\(lineNo): \(error)") }
            out += encodingJSON(e, withTypes: pair != nil, overflow: stride != nil)
            out += "\n"
        }
        try writeOutput(out, to: output)
    }
}


/// Reads JSONL lines with "text" (+ optional "text_pair"): (1-based line number, text, pair).
/// Blank lines are skipped; invalid UTF-8, bad JSON, a missing "text", or no lines at all fail.
func readJSONLTexts(_ source: String) throws -> [(Int, String, String?)] {
    let data: Data
    if source == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
        do { data = try Data(contentsOf: URL(fileURLWithPath: source)) } catch {
            throw CLIError("\(source): cannot read: \(FileProblem.reading(source, error: error))")
        }
    }
    let name = source == "-" ? "<stdin>" : source
    var result: [(Int, String, String?)] = []
    for (i, raw) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
        guard let line = String(validating: raw, as: UTF8.self) else {
            throw CLIError("\(name):\(i + 1): invalid UTF-8")
        }
        if line.allSatisfy(\.isWhitespace) { continue }
        guard let obj = (try? JSONSerialization.jsonObject(with: Data(raw))) as? [String: Any] else {
            throw CLIError("\(name):\(i + 1): not a JSON object")
        }
        guard let text = obj["text"] as? String else { throw CLIError("\(name):\(i + 1): missing string field \"text\"") }
        if obj["text_pair"] != nil && !(obj["text_pair"] is String) && !(obj["text_pair"] is NSNull) {
            throw CLIError("\(name):\(i + 1): \"text_pair\" must be a string")
        }
        result.append((i + 1, text, obj["text_pair"] as? String))
    }
    if result.isEmpty { throw CLIError("\(name): empty input (no JSONL lines with \"text\")") }
    return result
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

