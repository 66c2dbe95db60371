// `docket bench ... --json` writes snake_case keys like every JSON Docket writes (issue #13,
// item 9): each subcommand runs at a tiny size and every key of its output, nested ones
// included, is lower_snake_case; the keys the Scripts/bench/bench-*.sh tables read are present.
import Foundation
import TestSupport
import XCTest

final class BenchJSONCLITests: XCTestCase {
    private let model = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier").path

    func testEveryBenchSubcommandWritesSnakeCaseKeys() throws {
        let scratch = try ScratchDirectory(prefix: "cli-bench-json")
        defer { scratch.remove() }
        let corpus = try scratch.write("corpus.jsonl", "{\"text\": \"The plaintiff filed a motion\"}\n")
        let runs: [(args: [String], expected: [String])] = [
            (["bench", "classify", "--model", model, "--batch-size", "2", "--seq-len", "16", "--iterations", "1",
              "--latency-runs", "1", "--json"],
             ["seq_len", "throughput_seq_per_sec", "cpu_ms_per_seq", "latency_ms_batch1", "peak_rss_mb", "blas_core"]),
            (["bench", "train", "--model", "tiny", "--batch-size", "2", "--seq-len", "8", "--steps", "1", "--json"],
             ["seq_len", "seconds_per_step", "sequences_per_second", "peak_rss_bytes", "blas_core"]),
            (["bench", "kernels", "--json", "--seconds", "0", "--rows", "1", "--no-peak", "--only", "linear 384->1536"],
             ["peak.measured_gflops", "peak.nominal_gflops", "peak.model_name", "peak.vector_lanes", "peak.assumed_fma_units",
              "bf16_peak_per_core_gflops", "int8_peak_per_core_gops", "dispatch.onednn_version",
              "dispatch.fp32.faster_than_fp32_by_isa", "results.gflops"]),
            (["bench", "tokenize", "--tokenizer", model, "--corpus", corpus, "--runs", "1"], ["mb_per_s", "ids_fnv"]),
        ]
        for (args, expected) in runs {
            let (code, out, err) = try runDocket(args)
            XCTAssertEqual(code, 0, "\(args[1]): \(err)")
            let object = try JSONSerialization.jsonObject(with: Data(out.utf8))
            let keys = keyPaths(object)
            let offending = keys.filter { path in
                path.split(separator: ".").contains { $0.range(of: "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", options: .regularExpression) == nil }
            }
            XCTAssertEqual(offending, [], "bench \(args[1]): keys not in snake_case")
            for key in expected { XCTAssertTrue(keys.contains(key), "bench \(args[1]): no \(key) in \(keys.sorted())") }
        }
    }

    /// Dotted paths of every object key (array elements share their array's path).
    private func keyPaths(_ value: Any, prefix: String = "") -> Set<String> {
        if let object = value as? [String: Any] {
            return object.reduce(into: Set<String>()) { paths, entry in
                let path = prefix.isEmpty ? entry.key : "\(prefix).\(entry.key)"
                paths.insert(path)
                paths.formUnion(keyPaths(entry.value, prefix: path))
            }
        }
        if let array = value as? [Any] { return array.reduce(into: Set<String>()) { $0.formUnion(keyPaths($1, prefix: prefix)) } }
        return []
    }
}
