// End-to-end runs of the built `docket` binary for `classify` and `inspect`: inputs in every
// format, stdin/stdout, atomic --output, exit codes and messages for bad arguments and files.
import Foundation
import TestSupport
import XCTest

final class ClassifyInspectCLITests: XCTestCase {
    private var dir: URL!
    private let model = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier").path

    private var scratch: ScratchDirectory!

    override func setUpWithError() throws {
        scratch = try ScratchDirectory(prefix: "cli-io")
        dir = scratch.url
    }

    override func tearDownWithError() throws { scratch?.remove() }

    private func run(_ args: [String], stdin: String? = nil) throws -> (Int32, String, String) {
        try runDocket(args, stdin: stdin)
    }

    private func write(_ name: String, _ text: String) throws -> String { try scratch.write(name, text) }

    private func lines(_ s: String) throws -> [[String: Any]] {
        try s.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    func testClassifyJSONLFromStdinToStdout() throws {
        let input = "{\"id\": 1, \"text\": \"The plaintiff filed a motion\"}\n{\"id\": 2, \"text\": \"A patent claim\"}\n"
        let (code, out, err) = try run(["classify", "--model", model, "--top-k", "2"], stdin: input)
        XCTAssertEqual(code, 0, err)
        XCTAssertEqual(err, "", "no progress output in a pipe")
        let rows = try lines(out)
        XCTAssertEqual(rows.map { $0["id"] as? Int }, [1, 2])
        for r in rows {
            let probs = r["probabilities"] as! [String: Double]
            XCTAssertEqual(Set(probs.keys), ["Contract", "Litigation", "Patent"])
            XCTAssertEqual(probs.values.reduce(0, +), 1, accuracy: 1e-5)
            XCTAssertEqual((r["logits"] as! [Double]).count, 3)
            XCTAssertEqual((r["top_k"] as! [[String: Any]]).count, 2)
            XCTAssertEqual(r["score"] as? Double, probs[r["label"] as! String])
        }
    }

    func testClassifyCSVFolderAndTextToOutputFile() throws {
        let csv = try write("in.csv", "id,text\n7,\"Breach of the license, section 2\"\n8,The court\n")
        _ = try write("folder/b.txt", "The defendant")
        _ = try write("folder/a.txt", "The patent")
        let txt = try write("in.txt", "first line\n\nsecond line\n")
        let expectations: [(String, [String])] = [(csv, ["7", "8"]), (dir.appendingPathComponent("folder").path, ["a.txt", "b.txt"]), (txt, [])]
        for (input, ids) in expectations {
            let output = dir.appendingPathComponent("out.jsonl").path
            let (code, out, err) = try run(["classify", "--model", model, "--input", input, "--output", output,
                                            "--long-documents", "chunk", "--stride", "4", "--pooling", "max"])
            XCTAssertEqual(code, 0, err)
            XCTAssertEqual(out, "")
            let rows = try lines(try String(contentsOfFile: output, encoding: .utf8))
            XCTAssertEqual(rows.count, ids.isEmpty ? 2 : ids.count, input)
            if !ids.isEmpty { XCTAssertEqual(rows.map { $0["id"] as? String }, ids, input) }
            XCTAssertTrue(rows.allSatisfy { ($0["windows"] as? Int) == 1 })
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }, [], "no temp files left")
    }

    func testClassifyBadInputsExitNonZeroWithMessages() throws {
        let bad = try write("bad.jsonl", "{\"text\": \"ok\"}\n{\"text\": \"broken\n")
        let output = dir.appendingPathComponent("never.jsonl").path
        var (code, _, err) = try run(["classify", "--model", model, "--input", bad, "--output", output])
        XCTAssertEqual(code, 1)
        XCTAssertTrue(err.contains("\(bad):2:"), err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output), "failed runs leave no output")
        (code, _, err) = try run(["classify", "--model", dir.appendingPathComponent("nomodel").path], stdin: "x\n")
        XCTAssertEqual(code, 1)
        XCTAssertTrue(err.contains("config.json"), err)
        (code, _, err) = try run(["classify", "--model", model, "--batch-size", "0"])
        XCTAssertEqual(code, 64)
        XCTAssertTrue(err.contains("--batch-size"), err)
        (code, _, err) = try run(["classify", "--model", model, "--long-documents", "split"])
        XCTAssertEqual(code, 64)
        (code, _, err) = try run(["classify", "--model", model, "--input", dir.appendingPathComponent("missing.jsonl").path])
        XCTAssertEqual(code, 1)
        XCTAssertTrue(err.contains("missing.jsonl"), err)
    }

    func testInspectTableJSONAndCorruptFile() throws {
        let weights = model + "/model.safetensors"
        var (code, out, err) = try run(["inspect", weights])
        XCTAssertEqual(code, 0, err)
        XCTAssertTrue(out.contains("classifier.weight"), out)
        XCTAssertTrue(out.contains("F32"), out)
        (code, out, err) = try run(["inspect", weights, "--json"])
        XCTAssertEqual(code, 0, err)
        let doc = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
        let tensors = doc["tensors"] as! [[String: Any]]
        let classifier = tensors.first { $0["name"] as? String == "classifier.weight" }
        XCTAssertEqual(classifier?["shape"] as? [Int], [3, 32])
        XCTAssertEqual(doc["total_params"] as? Int, tensors.reduce(0) { $0 + ($1["params"] as! Int) })
        let corrupt = try write("corrupt.safetensors", "\u{07}\0\0\0\0\0\0\0{\"a\":1}")
        (code, _, err) = try run(["inspect", corrupt])
        XCTAssertEqual(code, 1)
        XCTAssertTrue(err.contains(corrupt) && err.contains("'a'"), err)
    }

    func testInspectSystemPrintsTheDispatch() throws {
        var (code, out, err) = try run(["inspect", "--system"])
        XCTAssertEqual(code, 0, err)
        for key in ["cpu:", "fp32: onednn", "bf16:", "int8:", "auto:"] { XCTAssertTrue(out.contains(key), out) }
        (code, out, err) = try run(["inspect", "--system", "--json"])
        XCTAssertEqual(code, 0, err)
        let doc = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
        let fp32 = (doc["dispatch"] as? [String: Any])?["fp32"] as? [String: Any]
        XCTAssertEqual(fp32?["engine"] as? String, "onednn")
        XCTAssertNotNil((doc["auto"] as? [String: Any])?["precision"] as? String)
        (code, _, err) = try run(["inspect"])
        XCTAssertEqual(code, 64, "neither a file nor --system")
    }
}
