// The fuzz targets. Each takes arbitrary bytes and must either succeed or throw a typed error;
// a trap, crash, leak or hang is a finding. Targets that read files write the input to a
// private scratch file first (the loaders' public entry points take paths).
import Docket
import DocketBase
import Encoder
import Foundation
import Glibc
import SafeTensors
import Tokenizers

enum FuzzTarget: String, CaseIterable {
    case safetensors, json, config, tokenizerJSON = "tokenizer-json", vocab, sentencepiece, jsonl, csv, wordpiece

    /// Runs one input.
    func run(_ data: Data) {
        switch self {
        case .safetensors:
            if let f = try? SafeTensorsFile(contentsOf: Scratch.write(data, name: "model.safetensors")) {
                for name in f.names.prefix(4) { _ = try? f.floats(name) }
            }
        case .json:
            _ = data.withUnsafeBytes { try? JSONParser.parse($0) }
        case .config:
            if let c = try? ModelConfig.parse(data, file: "config.json") {
                _ = c.parameterLayout.reduce(0) { $0 + $1.count }  // the layout a model would allocate
            }
        case .tokenizerJSON:
            encodeSample(try? Tokenizer.load(from: Scratch.write(data, name: "tokenizer.json")))
        case .vocab:
            encodeSample(try? Tokenizer.load(from: Scratch.write(data, name: "vocab.txt")))
        case .sentencepiece:
            encodeSample(try? Tokenizer.load(from: Scratch.write(data, name: "fuzz.model")))
        case .jsonl, .csv:
            let url = Scratch.write(data, name: self == .csv ? "docs.csv" : "docs.jsonl")
            if let r = try? DocumentReader(path: url.path, format: self == .csv ? .csv : .jsonl) {
                while let d = try? r.next() { _ = d }
            }
        case .wordpiece:
            let text = String(decoding: data, as: UTF8.self)
            if let e = try? Scratch.wordPiece.encode(text, maxLength: 64) { _ = Scratch.wordPiece.decode(e.ids) }
        }
    }

    private func encodeSample(_ t: Tokenizer?) {
        guard let t else { return }
        if let e = try? t.encode("Hello, World! naïve 東京 [MASK] x", pair: "second part", maxLength: 32) {
            _ = t.decode(e.ids)
        }
    }
}

/// Per-process scratch directory and the fixed WordPiece tokenizer.
enum Scratch {
    nonisolated(unsafe) static let directory: URL = {
        var template = Array((NSTemporaryDirectory() + "/docket-fuzz-XXXXXX").utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { p -> String in
            guard let r = mkdtemp(p.baseAddress!) else { fatalError("mkdtemp failed") }
            return String(cString: r)
        }
        atexit { try? FileManager.default.removeItem(atPath: Scratch.directory.path) }
        return URL(fileURLWithPath: dir)
    }()

    static func write(_ data: Data, name: String) -> URL {
        let url = directory.appendingPathComponent(name)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { fatalError("cannot write \(url.path)") }
        data.withUnsafeBytes { b in
            var done = 0
            while done < b.count { let n = Glibc.write(fd, b.baseAddress! + done, b.count - done); if n <= 0 { break }; done += n }
        }
        close(fd)
        return url
    }

    /// The project's own WordPiece vocabulary (Vocab/), lowercasing BERT normalisation.
    nonisolated(unsafe) static let wordPiece: Tokenizer = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = root.appendingPathComponent("Tests/Fixtures/classifier/tiny-bert-classifier/vocab.txt")
        do { return try Tokenizer.load(from: url) } catch { fatalError("cannot load \(url.path): \(error)") }
    }()
}
