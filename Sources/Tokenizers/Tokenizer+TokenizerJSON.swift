// tokenizer.json (HF `tokenizers` serialization): BertNormalizer, BertPreTokenizer, WordPiece,
// TemplateProcessing / BertProcessing, and the truncation / padding / added_tokens blocks.
// Any other component type is rejected with a message naming it.
import Foundation

extension Tokenizer {
    static func loadTokenizerJSON(_ url: URL) throws -> Tokenizer {
        let path = url.path
        let root = try readJSONObject(url)
        guard let modelObj = root["model"] as? [String: Any] else {
            throw TokenizerError.malformed(path: path, reason: "missing \"model\"")
        }
        let modelType = modelObj["type"] as? String ?? "WordPiece"
        guard modelType == "WordPiece" else {
            throw TokenizerError.unsupported(path: path, reason: "model type \(modelType) (only WordPiece tokenizer.json files are supported; use a .model for SentencePiece)")
        }
        let norm = try parseNormalizer(root["normalizer"], path: path)
        if let pre = root["pre_tokenizer"] as? [String: Any] {
            let t = pre["type"] as? String ?? "?"
            guard t == "BertPreTokenizer" else { throw TokenizerError.unsupported(path: path, reason: "pre_tokenizer type \(t)") }
        } else if !(root["pre_tokenizer"] is NSNull || root["pre_tokenizer"] == nil) {
            throw TokenizerError.malformed(path: path, reason: "pre_tokenizer is not an object")
        } else {
            throw TokenizerError.unsupported(path: path, reason: "pre_tokenizer null (BertPreTokenizer required)")
        }
        guard let vocabObj = modelObj["vocab"] as? [String: Any], !vocabObj.isEmpty else {
            throw TokenizerError.malformed(path: path, reason: "model.vocab missing or empty")
        }
        let addedObjs = (root["added_tokens"] as? [[String: Any]]) ?? []
        if root["added_tokens"] != nil && !(root["added_tokens"] is [Any]) {
            throw TokenizerError.malformed(path: path, reason: "added_tokens is not a list")
        }
        // Added tokens as (content, id, special); entries without a string content and a
        // non-negative integer id are malformed.
        var addedList: [(String, Int, Bool)] = []
        for a in addedObjs {
            guard let content = a["content"] as? String, let id = a["id"] as? Int, id >= 0 else {
                throw TokenizerError.malformed(path: path, reason: "added_tokens entry without content and a non-negative id")
            }
            addedList.append((content, id, a["special"] as? Bool ?? false))
        }
        let maxId = max(vocabObj.values.compactMap { $0 as? Int }.max() ?? -1, addedList.map { $0.1 }.max() ?? -1)
        guard maxId >= 0, maxId < TokenizerLimits.maxVocabulary else {
            throw TokenizerError.malformed(path: path, reason: "vocabulary ids must lie in 0..<\(TokenizerLimits.maxVocabulary), found \(maxId)")
        }
        var idToToken = [String?](repeating: nil, count: maxId + 1)
        for (tok, v) in vocabObj {
            guard let id = v as? Int, id >= 0 else { throw TokenizerError.malformed(path: path, reason: "vocab entry \(tok) has no integer id") }
            idToToken[id] = tok
        }
        for (content, id, _) in addedList where idToToken[id] == nil { idToToken[id] = content }
        if let missing = idToToken.firstIndex(where: { $0 == nil }) {
            throw TokenizerError.malformed(path: path, reason: "vocabulary ids are not dense (id \(missing) missing)")
        }
        let vocab = idToToken.map { $0! }
        let unk = modelObj["unk_token"] as? String ?? "[UNK]"
        let model = try WordPieceModel(vocab: vocab, unkToken: unk,
                                       continuingPrefix: modelObj["continuing_subword_prefix"] as? String ?? "##",
                                       maxInputCharsPerWord: try boundedInt(modelObj["max_input_chars_per_word"], field: "model.max_input_chars_per_word",
                                                                            range: 1...TokenizerLimits.maxLength, path: path) ?? 100,
                                       normalization: norm, path: path)
        let added = addedList.map { AddedToken(content: $0.0, id: Int32($0.1), special: $0.2) }
        let post = try parsePostProcessor(root["post_processor"], path: path, vocabSize: vocab.count)
        let trunc = try parseTruncation(root["truncation"], path: path)
        let (padding, padToken, padIdOpt) = try parsePadding(root["padding"], path: path, vocabSize: vocab.count)
        func id(_ t: String) -> Int32? { model.id(of: t) }
        let cls = id("[CLS]") ?? -1, sep = id("[SEP]") ?? -1
        let padName = padToken ?? "[PAD]"
        let pad = padIdOpt ?? id(padName) ?? 0
        let configURL = url.deletingLastPathComponent().appendingPathComponent("tokenizer_config.json")
        var maxLen: Int? = nil
        if FileManager.default.fileExists(atPath: configURL.path), let c = try? readJSONObject(configURL),
           let m = c["model_max_length"] as? Int, m > 0, m < 1_000_000_000 { maxLen = m }
        return Tokenizer(model: .wordPiece(model), post: post, addedTokens: added, idToToken: vocab, sourcePath: path,
                         special: (pad, cls, sep, model.unkId, id("[MASK]")), padToken: padName,
                         modelMaxLength: maxLen, truncation: trunc, padding: padding)
    }

    static func parseNormalizer(_ any: Any?, path: String) throws -> BertNormalization {
        if any == nil || any is NSNull {
            return BertNormalization(cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: false)
        }
        guard let n = any as? [String: Any] else { throw TokenizerError.malformed(path: path, reason: "normalizer is not an object") }
        let t = n["type"] as? String ?? "?"
        guard t == "BertNormalizer" else { throw TokenizerError.unsupported(path: path, reason: "normalizer type \(t)") }
        let lower = n["lowercase"] as? Bool ?? true
        return BertNormalization(cleanText: n["clean_text"] as? Bool ?? true,
                                 handleChineseChars: n["handle_chinese_chars"] as? Bool ?? true,
                                 stripAccents: n["strip_accents"] as? Bool, lowercase: lower)
    }

    /// An optional integer field within `range` (HF stores these as u32/usize; Docket as Int32):
    /// an error names the field and the range instead of trapping on conversion.
    static func boundedInt(_ any: Any?, field: String, range: ClosedRange<Int>, path: String) throws -> Int? {
        guard let any, !(any is NSNull) else { return nil }
        guard let n = any as? Int, range.contains(n) else {
            throw TokenizerError.malformed(path: path, reason: "\(field) must be an integer in \(range.lowerBound)...\(range.upperBound), got \(any)")
        }
        return n
    }

    /// A token id field: 0 ..< vocabSize.
    static func tokenId(_ any: Any?, field: String, vocabSize: Int, path: String) throws -> Int32 {
        guard let n = try boundedInt(any, field: field, range: 0...max(0, vocabSize - 1), path: path) else {
            throw TokenizerError.malformed(path: path, reason: "\(field) must be a token id in 0...\(vocabSize - 1)")
        }
        return Int32(n)
    }

    static func parsePostProcessor(_ any: Any?, path: String, vocabSize: Int) throws -> PostProcessor {
        if any == nil || any is NSNull { return .empty }
        guard let p = any as? [String: Any] else { throw TokenizerError.malformed(path: path, reason: "post_processor is not an object") }
        let t = p["type"] as? String ?? "?"
        switch t {
        case "BertProcessing":
            guard let cls = p["cls"] as? [Any], let sep = p["sep"] as? [Any], cls.count == 2, sep.count == 2,
                  let cn = cls[0] as? String, let sn = sep[0] as? String else {
                throw TokenizerError.malformed(path: path, reason: "BertProcessing needs cls and sep [token, id] pairs")
            }
            return .bert(cls: (cn, try tokenId(cls[1], field: "post_processor.cls id", vocabSize: vocabSize, path: path)),
                         sep: (sn, try tokenId(sep[1], field: "post_processor.sep id", vocabSize: vocabSize, path: path)))
        case "TemplateProcessing":
            let specials = (p["special_tokens"] as? [String: Any]) ?? [:]
            func typeId(_ any: Any?, _ key: String) throws -> Int32 {
                Int32(try boundedInt(any, field: "post_processor.\(key) type_id", range: 0...TokenizerLimits.maxTypeId, path: path) ?? 0)
            }
            func pieces(_ key: String) throws -> [TemplatePiece] {
                guard let list = p[key] as? [[String: Any]] else {
                    throw TokenizerError.malformed(path: path, reason: "TemplateProcessing.\(key) missing")
                }
                return try list.map { item in
                    if let s = item["Sequence"] as? [String: Any] {
                        let idx = (s["id"] as? String) == "B" ? 1 : 0
                        return .sequence(index: idx, typeId: try typeId(s["type_id"], key))
                    }
                    guard let s = item["SpecialToken"] as? [String: Any], let name = s["id"] as? String,
                          let spec = specials[name] as? [String: Any], let ids = spec["ids"] as? [Any],
                          let toks = spec["tokens"] as? [String], ids.count == toks.count else {
                        throw TokenizerError.malformed(path: path, reason: "TemplateProcessing.\(key) has an unknown piece")
                    }
                    let checked = try ids.map { try tokenId($0, field: "post_processor.special_tokens.\(name).ids", vocabSize: vocabSize, path: path) }
                    return .special(ids: checked, tokens: toks, typeId: try typeId(s["type_id"], key))
                }
            }
            return PostProcessor(single: try pieces("single"), pair: try pieces("pair"))
        default:
            throw TokenizerError.unsupported(path: path, reason: "post_processor type \(t)")
        }
    }

    static func parseTruncation(_ any: Any?, path: String) throws -> Truncation? {
        if any == nil || any is NSNull { return nil }
        guard let t = any as? [String: Any], t["max_length"] != nil else {
            throw TokenizerError.malformed(path: path, reason: "truncation needs a max_length")
        }
        let maxLen = try boundedInt(t["max_length"], field: "truncation.max_length", range: 0...TokenizerLimits.maxLength, path: path) ?? 0
        let stride = try boundedInt(t["stride"], field: "truncation.stride", range: 0...TokenizerLimits.maxLength, path: path) ?? 0
        if let dir = t["direction"] as? String, dir != "Right" {
            throw TokenizerError.unsupported(path: path, reason: "truncation direction \(dir) (only Right)")
        }
        let strategyName = t["strategy"] as? String ?? "LongestFirst"
        guard let strategy = TruncationStrategy(rawValue: strategyName) else {
            throw TokenizerError.malformed(path: path, reason: "truncation strategy \(strategyName)")
        }
        return Truncation(maxLength: maxLen, stride: stride, strategy: strategy)
    }

    static func parsePadding(_ any: Any?, path: String, vocabSize: Int) throws -> (Padding?, String?, Int32?) {
        if any == nil || any is NSNull { return (nil, nil, nil) }
        guard let p = any as? [String: Any] else { throw TokenizerError.malformed(path: path, reason: "padding is not an object") }
        if let dir = p["direction"] as? String, dir != "Right" {
            throw TokenizerError.unsupported(path: path, reason: "padding direction \(dir) (only Right)")
        }
        var padding: Padding = .longest
        if let s = p["strategy"] as? [String: Any], s["Fixed"] != nil {
            padding = .fixed(try boundedInt(s["Fixed"], field: "padding.strategy.Fixed", range: 1...TokenizerLimits.maxLength, path: path)!)
        }
        let padId = try p["pad_id"].map { try tokenId($0, field: "padding.pad_id", vocabSize: vocabSize, path: path) }
        _ = try boundedInt(p["pad_type_id"], field: "padding.pad_type_id", range: 0...TokenizerLimits.maxTypeId, path: path)
        return (padding, p["pad_token"] as? String, padId)
    }
}
