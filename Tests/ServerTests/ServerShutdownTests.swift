// SIGTERM drains: the built `docket serve` binary, requests in flight when the signal arrives
// all get their full answers, the process exits 0, and the port is closed afterwards.
import Foundation
import TestSupport
import XCTest

final class ServerShutdownTests: XCTestCase {
    func testSIGTERMDrainsInFlightRequestsAndExitsZero() async throws {
        let p = Process()
        p.executableURL = try docketBinary()
        p.arguments = ["serve", "--model", tinyModel.path, "--port", "0", "--long-documents", "chunk",
                       "--max-client-batch-size", "64", "--log-level", "notice"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        let log = StderrLines(err.fileHandleForReading)
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        let port = try await log.port(timeout: 60)
        let url = "http://127.0.0.1:\(port)"

        // Four requests of 6 long documents (many chunk windows each) keep the workers busy for a
        // few seconds (debug build).
        let longText = sampleTexts(30).joined(separator: " ")
        let body = "{\"documents\":[" + (0..<6).map { "{\"id\":\($0),\"text\":\(q(longText))}" }.joined(separator: ",") + "]}"
        let requests = (0..<4).map { _ in Task { try await post("\(url)/v1/classify", body) } }
        // Wait until they are in flight (the /metrics request itself counts as one).
        var inFlight = 0.0
        for _ in 0..<400 where inFlight < 5 {
            let m = try await get("\(url)/metrics").body
            inFlight = m.split(separator: "\n").first { $0.hasPrefix("docket_http_requests_in_flight") }
                .flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
            if inFlight < 5 { try await Task.sleep(for: .milliseconds(5)) }
        }
        XCTAssertGreaterThanOrEqual(inFlight, 5, "the requests finished before SIGTERM could be sent; make them longer")
        kill(p.processIdentifier, SIGTERM)

        for t in requests {
            let r = try await t.value
            XCTAssertEqual(r.status, 200, r.body)
            let preds = r.object["predictions"] as? [[String: Any]] ?? []
            XCTAssertEqual(preds.count, 6)
            XCTAssertEqual(preds.map { $0["id"] as? Int }, (0..<6).map { $0 })
            XCTAssertTrue(preds.allSatisfy { ($0["windows"] as? Int ?? 0) > 1 })
        }
        let exited = await waitForExit(p, seconds: 30)
        XCTAssertTrue(exited, "docket serve did not exit after SIGTERM")
        XCTAssertEqual(p.terminationStatus, 0, log.text)
        XCTAssertEqual(p.terminationReason, .exit)
        do {
            let r = try await get("\(url)/health")
            XCTFail("server still answering after shutdown: \(r.status)")
        } catch {}
    }

    private func waitForExit(_ p: Process, seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return !p.isRunning
    }
}

/// Collects a child's stderr on a background thread; finds "listening on http://HOST:PORT".
final class StderrLines: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                lock.lock(); data.append(chunk); lock.unlock()
            }
        }
    }

    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }

    func port(timeout: Double) async throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let r = text.range(of: "listening on http://127.0.0.1:") {
                let digits = text[r.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits), text[r.upperBound...].dropFirst(digits.count).first == "\n" { return port }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw XCTSkip("docket serve did not start: \(text)")
    }
}
