// The JSON line of every `docket bench ... --json`: snake_case keys (Docket's output convention,
// as in evaluation.json and `inspect --system --json`), sorted, one line. The result types keep
// Swift names (`throughputSeqPerSec`); the encoder converts them (`throughput_seq_per_sec`).
// `bench tokenize` writes its line by hand with the same convention.
import Foundation

enum BenchJSON {
    static func line<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
