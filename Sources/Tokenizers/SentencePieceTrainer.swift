// SentencePiece training through libsentencepiece's SentencePieceTrainer::Train.
// Docket's layout: [PAD]=0, [UNK]=1, then control symbols [CLS] [SEP] [MASK]; no <s>/</s>.
// Inputs are texts; they are written to a temporary one-sentence-per-line file in chunks of at
// most ~2,000 bytes (split at spaces) so libsentencepiece's sentence length cap drops nothing.
import CSentencePiece
import Foundation

public enum SentencePieceTrainer {
    public enum ModelType: String, Sendable { case unigram, bpe }

    /// Trains a model on `texts` and writes it atomically to `output` (a `.model` path).
    public static func train(texts: some Sequence<String>, type: ModelType, vocabSize: Int, output: URL,
                             characterCoverage: Double = 0.9995) throws {
        guard vocabSize > 8 else { throw TokenizerError.invalidArgument("vocab size \(vocabSize) is too small") }
        let fm = FileManager.default
        let work = try privateDirectory()
        defer { try? fm.removeItem(at: work) }
        let corpus = work.appendingPathComponent("corpus.txt")
        var lines = 0
        var text = ""
        for t in texts {
            for chunk in chunks(t) { text += chunk; text += "\n"; lines += 1 }
        }
        guard lines > 0 else { throw TokenizerError.invalidArgument("the corpus holds no text") }
        do { try Data(text.utf8).write(to: corpus) } catch {
            throw TokenizerError.writeFailed(path: corpus.path, reason: error.localizedDescription)
        }
        let prefix = work.appendingPathComponent("model").path
        // Option names and values go to libsentencepiece as a map: nothing is joined into a
        // command line, so paths with spaces (or '=' or "--") are passed intact.
        let options: [(String, String)] = [
            ("input", corpus.path), ("model_prefix", prefix), ("vocab_size", String(vocabSize)),
            ("model_type", type.rawValue), ("character_coverage", String(characterCoverage)),
            ("pad_id", "0"), ("pad_piece", "[PAD]"), ("unk_id", "1"), ("unk_piece", "[UNK]"), ("bos_id", "-1"), ("eos_id", "-1"),
            ("control_symbols", "[CLS],[SEP],[MASK]"), ("num_threads", "1"), ("shuffle_input_sentence", "false"),
            ("input_sentence_size", "0"), ("max_sentence_length", "8192"), ("minloglevel", "2"),
            ("hard_vocab_limit", "false"),
        ]
        var err = [CChar](repeating: 0, count: 1024)
        guard callTrain(options, &err) != 0 else {
            let msg = String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw TokenizerError.sentencePiece(path: output.path, reason: msg)
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: prefix + ".model")) } catch {
            throw TokenizerError.unreadable(path: prefix + ".model", reason: error.localizedDescription)
        }
        do { try fm.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true) } catch {
            throw TokenizerError.writeFailed(path: output.path, reason: error.localizedDescription)
        }
        try Tokenizer.writeAtomically(data, to: output)
    }

    /// A fresh directory only this process can use (mkdtemp: mode 0700, a new random name, never
    /// an existing path), so nothing planted in $TMPDIR can redirect the corpus or the model.
    static func privateDirectory() throws -> URL {
        var template = Array((FileManager.default.temporaryDirectory.path + "/docket-spm-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { p -> String? in
            mkdtemp(p.baseAddress!).map { String(cString: $0) }
        }
        guard let made else {
            throw TokenizerError.writeFailed(path: FileManager.default.temporaryDirectory.path,
                                             reason: "cannot create a private temporary directory: \(String(cString: strerror(errno)))")
        }
        return URL(fileURLWithPath: made, isDirectory: true)
    }

    private static func callTrain(_ options: [(String, String)], _ err: inout [CChar]) -> Int32 {
        let keys = options.map { strdup($0.0) }, values = options.map { strdup($0.1) }
        defer { (keys + values).forEach { free($0) } }
        let k = keys.map { UnsafePointer($0) }, v = values.map { UnsafePointer($0) }
        return csp_train(k, v, Int32(options.count), &err, Int32(err.count), 1)
    }

    /// Splits a text into lines of at most ~2,000 UTF-8 bytes at whitespace (no empty lines).
    static func chunks(_ text: String) -> [String] {
        var out: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            var current = ""
            for word in line.split(separator: " ", omittingEmptySubsequences: true) {
                if !current.isEmpty && current.utf8.count + word.utf8.count + 1 > 2000 { out.append(current); current = "" }
                if !current.isEmpty { current += " " }
                current += word
            }
            if !current.isEmpty { out.append(current) }
        }
        return out
    }
}
