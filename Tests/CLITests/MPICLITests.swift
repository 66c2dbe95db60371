// Data-parallel runs through the built binary under Open MPI (two ranks on loopback TCP,
// --oversubscribe): fine-tuning gives the weights of one process with the same global batch,
// sharded classification writes the identical file, a rank killed with SIGKILL stops the job
// and --resume under two ranks reaches the same weights, an error on one rank names it.
// Skipped with a message when mpirun is not installed.
import Foundation
import SafeTensors
import TestSupport
import XCTest

final class MPICLITests: XCTestCase {
    private var dir: URL!
    private var initDir: String { dir.appendingPathComponent("init").path }
    private var train: String { dir.appendingPathComponent("train.jsonl").path }
    private var dev: String { dir.appendingPathComponent("dev.jsonl").path }
    /// Float tolerance for one-process vs two-rank weights after 10 AdamW steps: only the
    /// summation order of the gradient differs (measured ~1e-6; weights move ~1e-2).
    private let tolerance = 2e-5

    override func setUpWithError() throws {
        _ = try mpirun()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-mpi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // A small slice of the committed corpus and a fresh tiny DistilBERT with the project vocabulary.
        for (split, lines, out) in [("train", 48, train), ("dev", 13, dev)] {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Corpora/\(split).jsonl"), encoding: .utf8)
            try Data((text.split(separator: "\n").prefix(lines).joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: out))
        }
        let config = dir.appendingPathComponent("tiny.json")
        try Data(#"{"model_type": "distilbert", "dim": 32, "n_layers": 2, "n_heads": 2, "hidden_dim": 64, "max_position_embeddings": 64, "activation": "gelu"}"#.utf8).write(to: config)
        let (code, _, err) = try runDocket(["init", "--config", config.path, "--tokenizer",
                                            repositoryRoot.appendingPathComponent("Vocab/legal-wordpiece-4k.txt").path,
                                            "--output", initDir, "--labels", "Contract,Patent,Litigation,Compliance,Corporate"])
        XCTAssertEqual(code, 0, err)
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    private func finetuneArgs(_ output: String, extra: [String] = []) -> [String] {
        ["finetune", "--model", initDir, "--train", train, "--dev", dev, "--output", output, "--max-steps", "10",
         "--epochs", "4", "--batch-size", "7", "--max-length", "48", "--dropout", "0", "--learning-rate", "2e-3",
         "--class-weights", "balanced", "--metric", "loss"] + extra
    }

    /// Final weights of a run (the saved training state holds the last step's weights).
    private func finalWeights(_ output: String) throws -> [String: [Float]] {
        let latest = try String(contentsOfFile: output + "/training_state/latest", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let file = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: "\(output)/training_state/\(latest)/weights.safetensors"))
        return try Dictionary(uniqueKeysWithValues: file.names.map { ($0, try file.floats($0)) })
    }

    private func maxDifference(_ a: [String: [Float]], _ b: [String: [Float]]) -> Double {
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        return a.keys.map { maxAbsDiff(a[$0]!, b[$0] ?? []) }.max() ?? .infinity
    }

    func testTwoRanksFineTuneLikeOneProcessAndResumeAfterKill() throws {
        let one = dir.appendingPathComponent("one").path, two = dir.appendingPathComponent("two").path
        var (code, _, err) = try runDocket(finetuneArgs(one))
        XCTAssertEqual(code, 0, err)
        (code, _, err) = try runMPI(finetuneArgs(two))
        XCTAssertEqual(code, 0, err)
        let w1 = try finalWeights(one), w2 = try finalWeights(two), w0 = try finalWeights(initDirState())
        XCTAssertGreaterThan(maxDifference(w1, w0), 100 * tolerance, "training moved the weights")
        XCTAssertLessThan(maxDifference(w1, w2), tolerance, "2 ranks × 7/2 examples = 1 process × 7 examples per step")
        // Rank 0 alone wrote the log: 10 step lines and one eval line per epoch, each once.
        let log = try String(contentsOfFile: two + "/training_log.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(log.filter { $0.contains(#""type":"step""#) }.count, 10)
        XCTAssertTrue(log.allSatisfy { !$0.contains(#""type":"step""#) || $0.contains(#""ranks":2"#) }, "step lines record the rank count")
        let dev1 = try String(contentsOfFile: one + "/dev_predictions.jsonl", encoding: .utf8)
        let dev2 = try String(contentsOfFile: two + "/dev_predictions.jsonl", encoding: .utf8)
        XCTAssertEqual(dev1.split(separator: "\n").count, dev2.split(separator: "\n").count, "sharded dev evaluation covers every example")

        // kill -9 rank 1 once a state exists, then --resume under two ranks.
        let killed = dir.appendingPathComponent("killed").path
        let (status, killErr) = try runMPIKillingRank1(finetuneArgs(killed, extra: ["--save-steps", "2"]),
                                                       whenExists: killed + "/training_state/latest")
        XCTAssertNotEqual(status, 0, "the job stops when a rank dies")
        XCTAssertTrue(killErr.contains("signal 9") || killErr.contains("Killed") || killErr.contains("rank 1"), killErr)
        let copy = dir.appendingPathComponent("killed-copy").path
        try FileManager.default.copyItem(atPath: killed, toPath: copy)
        (code, _, err) = try runMPI(finetuneArgs(killed, extra: ["--save-steps", "2", "--resume"]))
        XCTAssertEqual(code, 0, err)
        XCTAssertLessThan(maxDifference(try finalWeights(killed), w2), tolerance, "resumed after kill -9 = uninterrupted")
        // The state is rank-independent: one process resumes the same two-rank state.
        (code, _, err) = try runDocket(finetuneArgs(copy, extra: ["--save-steps", "2", "--resume"]))
        XCTAssertEqual(code, 0, err)
        XCTAssertLessThan(maxDifference(try finalWeights(copy), w1), tolerance, "two-rank state resumed by one process")
        let stepLines = try String(contentsOfFile: killed + "/training_log.jsonl", encoding: .utf8)
            .split(separator: "\n").filter { $0.contains(#""type":"step""#) }
        XCTAssertEqual(stepLines.count, 10, "replayed steps appear once in the log")
    }

    /// The freshly initialised weights as a "run" directory for finalWeights.
    private func initDirState() throws -> String {
        let d = dir.appendingPathComponent("init-state").path
        try FileManager.default.createDirectory(atPath: d + "/training_state/state-0", withIntermediateDirectories: true)
        try Data("state-0\n".utf8).write(to: URL(fileURLWithPath: d + "/training_state/latest"))
        try FileManager.default.copyItem(atPath: initDir + "/model.safetensors", toPath: d + "/training_state/state-0/weights.safetensors")
        return d
    }

    func testTwoRanksClassifyWritesTheSameFile() throws {
        for (name, mode) in [("truncate", ["--top-k", "2"]),
                             ("chunk", ["--max-length", "16", "--long-documents", "chunk", "--stride", "4", "--pooling", "mean"])] {
            let out1 = dir.appendingPathComponent("\(name)-one.jsonl").path, out2 = dir.appendingPathComponent("\(name)-two.jsonl").path
            let args = ["classify", "--model", initDir, "--input", train, "--batch-size", "4"] + mode
            var (code, _, err) = try runDocket(args + ["--output", out1])
            XCTAssertEqual(code, 0, err)
            (code, _, err) = try runMPI(args + ["--output", out2])
            XCTAssertEqual(code, 0, err)
            let a = try String(contentsOfFile: out1, encoding: .utf8), b = try String(contentsOfFile: out2, encoding: .utf8)
            XCTAssertEqual(a.split(separator: "\n").count, 48)
            XCTAssertEqual(a, b, "\(name): the same file, in input order, from 2 ranks")
        }
    }

    func testAnErrorOnOneRankStopsTheJobNamingIt() throws {
        // rank 0 finds no state to resume while rank 1 waits for it: the job must end, not hang.
        let (code, _, err) = try runMPI(finetuneArgs(dir.appendingPathComponent("none").path, extra: ["--resume"]))
        XCTAssertNotEqual(code, 0)
        XCTAssertTrue(err.contains("rank 0 of 2") && err.contains("no saved training state"), err)
    }

    // MARK: - mpirun

    private func mpirun() throws -> URL {
        for d in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let u = URL(fileURLWithPath: String(d)).appendingPathComponent("mpirun")
            if FileManager.default.isExecutableFile(atPath: u.path) { return u }
        }
        throw XCTSkip("mpirun not found: install openmpi-bin (Scripts/setup/setup.sh) to run the MPI tests")
    }

    /// mpirun -np 2 on loopback TCP (root allowed, no core binding: the machine has 2 cores).
    private func mpiProcess(_ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = try mpirun()
        p.arguments = ["-np", "2", "--oversubscribe", "--bind-to", "none", "--mca", "btl", "self,tcp",
                       "--mca", "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo",
                       try docketBinary().path] + args
        p.currentDirectoryURL = repositoryRoot
        p.environment = ProcessInfo.processInfo.environment.merging(
            ["OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1", "OMPI_MCA_rmaps_base_oversubscribe": "1"]) { $1 }
        return p
    }

    private func runMPI(_ args: [String]) throws -> (Int32, String, String) {
        let p = try mpiProcess(args)
        let out = dir.appendingPathComponent("mpi-\(UUID().uuidString).out"), err = dir.appendingPathComponent("mpi-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: out.path, contents: nil); FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out); p.standardError = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
    }

    /// Starts the job, waits for `path` to appear, SIGKILLs the rank-1 process and returns
    /// mpirun's exit status and stderr.
    private func runMPIKillingRank1(_ args: [String], whenExists path: String) throws -> (Int32, String) {
        let p = try mpiProcess(args)
        let err = dir.appendingPathComponent("kill.err")
        FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = FileHandle.nullDevice; p.standardError = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: path) && p.isRunning && Date() < deadline { usleep(5_000) }
        XCTAssertTrue(p.isRunning, "the job was still running when the first state appeared (make it longer)")
        let rank1 = try XCTUnwrap(rankProcess(1, under: p.processIdentifier), "rank 1's process")
        kill(rank1, SIGKILL)
        p.waitUntilExit()
        return (p.terminationStatus, try String(contentsOf: err, encoding: .utf8))
    }

    /// The child of `parent` whose environment says OMPI_COMM_WORLD_RANK=rank.
    private func rankProcess(_ rank: Int, under parent: Int32) -> Int32? {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[1]) == parent,
                  let env = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { continue }
            if env.split(separator: 0).contains(where: { String(decoding: $0, as: UTF8.self) == "OMPI_COMM_WORLD_RANK=\(rank)" }) { return pid }
        }
        return nil
    }
}
