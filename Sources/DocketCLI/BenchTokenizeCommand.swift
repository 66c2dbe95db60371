// `docket bench tokenize`: encode throughput (MB/s of UTF-8 input) of a tokenizer on a JSONL
// corpus, on N threads, best of R runs, plus an FNV-1a-64 digest of all ids so a peer's ids
// can be checked equal. Scripts/bench/bench-tokenizers.sh runs it beside HF tokenizers / sentencepiece.
import ArgumentParser
import Docket
import Foundation

struct BenchTokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize", abstract: "Benchmark tokenizer throughput.")

    @Option(name: .long, help: "vocab.txt, tokenizer.json, .model or directory.") var tokenizer: String
    @Option(name: .long, help: "JSONL corpus with \"text\" (or plain text lines).") var corpus: String
    @Option(name: .long, help: "Worker threads (documents split into contiguous shares).") var threads = 1
    @Option(name: .long, help: "Timed runs; the best is reported.") var runs = 3
    @Option(name: .long, help: "Use only the first N bytes' worth of documents (0: all).") var maxBytes = 0
    @Flag(name: .long, help: "SentencePiece only: time libsentencepiece's own ids-only encode (the peer).")
    var rawSentencepiece = false
    @Flag(name: .long, help: "Encode without [CLS]/[SEP] (to compare with raw SentencePiece ids).")
    var noSpecialTokens = false

    func validate() throws {
        if threads < 1 || threads > 64 { throw ValidationError("--threads must be in 1...64") }
        try FlagLimits.check(runs, "--runs", FlagLimits.steps)
    }

    func run() async throws {
        let tok: Tokenizer
        do { tok = try Tokenizer.load(from: URL(fileURLWithPath: tokenizer)) } catch { throw CLIError("\(error)") }
        if rawSentencepiece && tok.kind != .sentencePiece { throw CLIError("--raw-sentencepiece needs a .model tokenizer") }
        var texts = try readCorpusTexts(corpus)
        if maxBytes > 0 {
            var total = 0
            texts = Array(texts.prefix { t in total += t.utf8.count; return total - t.utf8.count < maxBytes })
        }
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        let shares = split(texts, into: threads)
        let raw = rawSentencepiece, specials = !noSpecialTokens
        let encodeShare: @Sendable ([String]) -> Int = { share in
            var n = 0
            for t in share { n += raw ? tok.rawSentencePieceIds(t).count : ((try? tok.encode(t, addSpecialTokens: specials).count) ?? 0) }
            return n
        }
        var best = Double.infinity
        var tokens = 0
        for _ in 0..<runs {
            let start = MonotonicClock.now()
            let counts = ShareCounts(threads)
            DispatchQueue.concurrentPerform(iterations: threads) { i in counts.set(i, encodeShare(shares[i])) }
            let secs = MonotonicClock.now() - start
            best = min(best, secs)
            tokens = counts.total
        }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for t in texts {
            let ids = raw ? tok.rawSentencePieceIds(t) : ((try? tok.encode(t, addSpecialTokens: specials).ids) ?? [])
            for v in ids {
                let u = UInt32(bitPattern: v)
                for k in 0..<4 { h = (h ^ UInt64((u >> (8 * UInt32(k))) & 0xFF)) &* 0x100_0000_01b3 }
            }
        }
        let mbps = Double(bytes) / 1e6 / best
        let name = raw ? "libsentencepiece (ids, in-process)" : "docket \(tok.kind.rawValue)"
        print("{\"impl\": \(JSONParser.quote(name)), \"threads\": \(threads), \"documents\": \(texts.count), \"bytes\": \(bytes), \"tokens\": \(tokens), \"seconds\": \(String(format: "%.4f", best)), \"mb_per_s\": \(String(format: "%.2f", mbps)), \"ids_fnv\": \"\(String(h, radix: 16))\"}")
    }

    /// Contiguous shares with about equal bytes each.
    func split(_ texts: [String], into n: Int) -> [[String]] {
        let total = texts.reduce(0) { $0 + $1.utf8.count }
        var shares = [[String]](repeating: [], count: n)
        var acc = 0
        for t in texts {
            let i = min(n - 1, acc * n / max(total, 1))
            shares[i].append(t)
            acc += t.utf8.count
        }
        return shares
    }
}

/// Per-thread token counts written from concurrentPerform workers (distinct slots, then read).
final class ShareCounts: @unchecked Sendable {
    private var counts: [Int]
    private let lock = NSLock()
    init(_ n: Int) { counts = [Int](repeating: 0, count: n) }
    func set(_ i: Int, _ v: Int) { lock.lock(); counts[i] = v; lock.unlock() }
    var total: Int { lock.lock(); defer { lock.unlock() }; return counts.reduce(0, +) }
}
