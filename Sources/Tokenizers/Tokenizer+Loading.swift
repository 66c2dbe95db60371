// Loading: a vocab.txt (+ tokenizer_config.json beside it), a tokenizer.json, a SentencePiece
// .model, or a directory holding one of them (tokenizer.json first, as HF's fast tokenizers).
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Tokenizer {
    public static func load(from url: URL) throws -> Tokenizer {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else {
            throw TokenizerError.unreadable(path: url.path, reason: "no such file or directory")
        }
        if isDir.boolValue { return try loadDirectory(url) }
        let name = url.lastPathComponent.lowercased()
        if name.hasSuffix(".json") { return try loadTokenizerJSON(url) }
        if name.hasSuffix(".model") { return try loadSentencePiece(url) }
        return try loadVocabTxt(url)
    }

    static func loadDirectory(_ dir: URL) throws -> Tokenizer {
        let fm = FileManager.default
        let json = dir.appendingPathComponent("tokenizer.json")
        if fm.fileExists(atPath: json.path) { return try loadTokenizerJSON(json) }
        let vocab = dir.appendingPathComponent("vocab.txt")
        if fm.fileExists(atPath: vocab.path) { return try loadVocabTxt(vocab) }
        let items = (try? fm.contentsOfDirectory(atPath: dir.path)) ?? []
        if let model = items.sorted().first(where: { $0.hasSuffix(".model") }) {
            return try load(from: dir.appendingPathComponent(model))
        }
        throw TokenizerError.noTokenizerFound(directory: dir.path)
    }

    /// Largest tokenizer file read (vocab.txt, tokenizer.json, tokenizer_config.json).
    public static let maxFileBytes = 256 << 20

    /// Reads a regular file of at most `limit` bytes. The file is opened non-blocking and
    /// checked with fstat before any read, so a FIFO or device is refused instead of blocking.
    static func readFile(_ url: URL, limit: Int = maxFileBytes) throws -> Data {
        let path = url.path
        func fail(_ what: String) -> TokenizerError { .unreadable(path: path, reason: "\(what): \(String(cString: strerror(errno)))") }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw fail("cannot open") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fail("cannot stat") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw TokenizerError.unreadable(path: path, reason: "not a regular file") }
        guard Int(st.st_size) <= limit else {
            throw TokenizerError.malformed(path: path, reason: "\(st.st_size) bytes, above the limit of \(limit) bytes")
        }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw fail("read failed") }
            if n == 0 { break }  // the file shrank while being read
            filled += n
        }
        if filled < bytes.count { bytes.removeLast(bytes.count - filled) }
        return Data(bytes)
    }

    static func readJSONObject(_ url: URL) throws -> [String: Any] {
        let data = try readFile(url)
        guard let obj = try? JSONSerialization.jsonObject(with: data), let dict = obj as? [String: Any] else {
            throw TokenizerError.malformed(path: url.path, reason: "not a JSON object")
        }
        return dict
    }

    /// vocab.txt: one token per line, id = line number (trailing "\r"/whitespace trimmed, as HF).
    static func readVocabLines(_ url: URL) throws -> [String] {
        let data = try readFile(url)
        guard let text = String(validatingUTF8Data: data) else {
            throw TokenizerError.invalidUTF8(path: url.path, detail: "the vocabulary is not UTF-8 text")
        }
        // Split on the "\n" scalar: Swift's Character "\r\n" is one grapheme, so splitting the
        // String on "\n" would miss CRLF line ends (HF reads lines and trims the "\r").
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var l = line
            while let last = l.last, last.properties.isWhitespace { l = l.dropLast() }
            return String(String.UnicodeScalarView(l))
        }
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw TokenizerError.malformed(path: url.path, reason: "the vocabulary is empty") }
        guard lines.count <= TokenizerLimits.maxVocabulary else {
            throw TokenizerError.malformed(path: url.path, reason: "\(lines.count) vocabulary lines, above the limit of \(TokenizerLimits.maxVocabulary)")
        }
        return lines
    }

    static func loadVocabTxt(_ url: URL) throws -> Tokenizer {
        let vocab = try readVocabLines(url)
        let configURL = url.deletingLastPathComponent().appendingPathComponent("tokenizer_config.json")
        var config: [String: Any] = [:]
        if FileManager.default.fileExists(atPath: configURL.path) { config = try readJSONObject(configURL) }
        func str(_ k: String, _ d: String) -> String { (config[k] as? String) ?? ((config[k] as? [String: Any])?["content"] as? String) ?? d }
        let lower = (config["do_lower_case"] as? Bool) ?? true
        let norm = BertNormalization(cleanText: true, handleChineseChars: (config["tokenize_chinese_chars"] as? Bool) ?? true,
                                     stripAccents: config["strip_accents"] as? Bool, lowercase: lower)
        let names = (unk: str("unk_token", "[UNK]"), sep: str("sep_token", "[SEP]"), pad: str("pad_token", "[PAD]"),
                     cls: str("cls_token", "[CLS]"), mask: str("mask_token", "[MASK]"))
        let model = try WordPieceModel(vocab: vocab, unkToken: names.unk, normalization: norm, path: url.path)
        func need(_ t: String) throws -> Int32 {
            guard let id = model.id(of: t) else { throw TokenizerError.malformed(path: url.path, reason: "special token \(t) is not in the vocabulary") }
            return id
        }
        let ids = (pad: try need(names.pad), cls: try need(names.cls), sep: try need(names.sep), unk: model.unkId, mask: model.id(of: names.mask))
        var added: [AddedToken] = []
        for t in [names.pad, names.unk, names.cls, names.sep, names.mask] {
            if let id = model.id(of: t), !added.contains(where: { $0.content == t }) { added.append(AddedToken(content: t, id: id, special: true)) }
        }
        let maxLen = (config["model_max_length"] as? Int).flatMap { $0 > 0 && $0 < 1_000_000_000 ? $0 : nil }
        return Tokenizer(model: .wordPiece(model), post: .bert(cls: (names.cls, ids.cls), sep: (names.sep, ids.sep)),
                         addedTokens: added, idToToken: vocab, sourcePath: url.path, special: ids, padToken: names.pad,
                         modelMaxLength: maxLen, truncation: nil, padding: nil)
    }
}

extension Tokenizer {
    /// A SentencePiece .model. Special tokens: [CLS]/[SEP]/[PAD]/[MASK] pieces when the model has
    /// them (as Docket-trained models do), else <s>/</s> (bos/eos) for the `A </s>`-style template.
    static func loadSentencePiece(_ url: URL) throws -> Tokenizer {
        let m = try SentencePieceModel(path: url.path)
        func piece(_ p: String) -> Int32? { m.id(of: p) }
        let cls = piece("[CLS]") ?? (m.bosId >= 0 ? m.bosId : -1)
        let sep = piece("[SEP]") ?? (m.eosId >= 0 ? m.eosId : -1)
        let pad = piece("[PAD]") ?? (m.padId >= 0 ? m.padId : max(m.unkId, 0))
        var post = PostProcessor.empty
        if cls >= 0 && sep >= 0 { post = .bert(cls: (m.pieces[Int(cls)], cls), sep: (m.pieces[Int(sep)], sep)) }
        var added: [AddedToken] = []
        for t in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] {
            if let id = piece(t), m.controlIds.contains(id) || id == m.unkId || id == m.padId {
                added.append(AddedToken(content: t, id: id, special: true))
            }
        }
        for id in m.controlIds where !added.contains(where: { $0.id == id }) {
            added.append(AddedToken(content: m.pieces[Int(id)], id: id, special: true))
        }
        added.removeAll { $0.content.isEmpty }
        return Tokenizer(model: .sentencePiece(m), post: post, addedTokens: added, idToToken: m.pieces,
                         sourcePath: url.path, special: (pad, cls, sep, m.unkId, piece("[MASK]")),
                         padToken: m.pieces[Int(pad)], modelMaxLength: nil, truncation: nil, padding: nil)
    }
}

extension String {
    /// Decodes UTF-8 strictly: nil when the bytes are not valid UTF-8.
    init?(validatingUTF8Data data: Data) {
        guard let s = String(validating: data, as: UTF8.self) else { return nil }
        self = s
    }
}
