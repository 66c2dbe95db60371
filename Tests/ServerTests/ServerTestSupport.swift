// Starting a real DocketHTTPServer on 127.0.0.1 (port 0 = a free port) and talking to it over
// HTTP with AsyncHTTPClient; plus running the built `docket` binary.
import AsyncHTTPClient
import Docket
@testable import DocketServer
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TestSupport
import XCTest

let tinyModel = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier")

/// Varied short legal-ish texts over the tiny fixture's vocabulary.
func sampleTexts(_ n: Int) -> [String] {
    let words = ["the agreement", "party", "court", "plaintiff filed a motion", "defendant", "patent claim",
                 "license shall", "infringement", "breach of this section", "invention", "parties hereby"]
    return (0..<n).map { i in
        (0...(i % 7)).map { words[(i * 3 + $0 * 5) % words.count] }.joined(separator: " ") + " \(i)."
    }
}

/// A server running in this process; `stop()` cancels it (graceful shutdown) and waits.
final class RunningServer: @unchecked Sendable {
    let server: DocketHTTPServer
    let port: Int
    private let task: Task<Void, Error>

    init(models: [ModelSpec] = [ModelSpec(name: "tiny", directory: tinyModel.path)], topK: Int? = nil,
         configure: (inout ServerOptions) -> Void = { _ in }) async throws {
        var o = ServerOptions()
        o.port = 0
        configure(&o)
        var logger = Logger(label: "docket.serve.test")
        logger.logLevel = .critical  // cancellation at stop() logs errors from HummingbirdCore
        let server = try DocketHTTPServer(models: models, classifierOptions: { _ in .init() }, topK: topK, options: o, logger: logger)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        task = Task { try await server.run(gracefulShutdownSignals: []) { continuation.yield($0) } }
        var it = ports.makeAsyncIterator()
        guard let port = await it.next() else { throw XCTSkip("server did not start") }
        self.server = server
        self.port = port
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func setPaused(_ p: Bool) { for m in server.models { m.batcher.setPaused(p) } }
}

/// One HTTP exchange: status, body text, and the body parsed as JSON (nil if it is not JSON).
struct Reply {
    let status: Int
    let body: String
    let headers: [(String, String)]
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
}

let sharedClient: HTTPClient = {
    var c = HTTPClient.Configuration()
    c.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 128)
    return HTTPClient(eventLoopGroupProvider: .singleton, configuration: c)
}()

func exchange(_ method: HTTPMethod, _ url: String, body: [UInt8]? = nil, contentType: String = "application/json") async throws -> Reply {
    var req = HTTPClientRequest(url: url)
    req.method = method
    if let body {
        req.headers.add(name: "content-type", value: contentType)
        req.body = .bytes(ByteBuffer(bytes: body))
    }
    let resp = try await sharedClient.execute(req, timeout: .seconds(60))
    let data = try await resp.body.collect(upTo: 64 << 20)
    return Reply(status: Int(resp.status.code), body: String(decoding: data.readableBytesView, as: UTF8.self),
                 headers: resp.headers.map { ($0.name, $0.value) })
}

func post(_ url: String, _ json: String) async throws -> Reply { try await exchange(.POST, url, body: Array(json.utf8)) }
func get(_ url: String) async throws -> Reply { try await exchange(.GET, url) }

/// JSON string literal.
func q(_ s: String) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed]), as: UTF8.self)
}

/// Runs `docket args` to completion with stdout and stderr in files; returns (status, stdout, stderr).
func runDocket(_ args: [String]) throws -> (Int32, String, String) {
    let scratch = try ScratchDirectory(prefix: "docket-run")
    defer { scratch.remove() }
    let out = scratch.url.appendingPathComponent("out"), err = scratch.url.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let p = Process()
    p.executableURL = try docketBinary()
    p.arguments = args
    p.standardOutput = try FileHandle(forWritingTo: out)
    p.standardError = try FileHandle(forWritingTo: err)
    p.standardInput = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    return (p.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
}

/// Parses JSONL text into objects.
func jsonLines(_ text: String) -> [[String: Any]] {
    text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
}
