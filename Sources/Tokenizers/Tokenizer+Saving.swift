// Saving into a checkpoint directory: vocab.txt + tokenizer_config.json + special_tokens_map.json
// (what HF BertTokenizer(Fast).from_pretrained reads). Each file is written atomically.
import Foundation

extension Tokenizer {
    public func save(to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw TokenizerError.writeFailed(path: directory.path, reason: error.localizedDescription)
        }
        switch model {
        case let .wordPiece(m):
            let vocabText = m.vocab.joined(separator: "\n") + "\n"
            try Tokenizer.writeAtomically(Data(vocabText.utf8), to: directory.appendingPathComponent("vocab.txt"))
            let n = m.normalization
            var config: [String: Any] = [
                "tokenizer_class": "BertTokenizer", "do_lower_case": n.lowercase, "strip_accents": n.stripAccents,
                "tokenize_chinese_chars": n.handleChineseChars, "do_basic_tokenize": true,
                "unk_token": token(for: unkId), "sep_token": token(for: sepId), "pad_token": padToken,
                "cls_token": token(for: clsId),
            ]
            if let maskId { config["mask_token"] = token(for: maskId) }
            if let modelMaxLength { config["model_max_length"] = modelMaxLength }
            try Tokenizer.writeJSON(config, to: directory.appendingPathComponent("tokenizer_config.json"))
            var map: [String: Any] = ["unk_token": token(for: unkId), "sep_token": token(for: sepId),
                                      "pad_token": padToken, "cls_token": token(for: clsId)]
            if let maskId { map["mask_token"] = token(for: maskId) }
            try Tokenizer.writeJSON(map, to: directory.appendingPathComponent("special_tokens_map.json"))
        case let .sentencePiece(m):
            let name = URL(fileURLWithPath: m.path).lastPathComponent
            try Tokenizer.writeAtomically(try m.modelData(), to: directory.appendingPathComponent(name))
        }
    }

    static func writeJSON(_ obj: [String: Any], to url: URL) throws {
        let data: Data
        do { data = try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys]) } catch {
            throw TokenizerError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
        try writeAtomically(data + Data("\n".utf8), to: url)
    }

    /// Temp file beside the target, then rename (the same pattern as SafeTensors' AtomicFile).
    static func writeAtomically(_ data: Data, to url: URL) throws {
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            try data.write(to: tmp)
            if rename(tmp.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: tmp)
                throw TokenizerError.writeFailed(path: url.path, reason: reason)
            }
        } catch let e as TokenizerError { throw e } catch {
            throw TokenizerError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
    }
}
