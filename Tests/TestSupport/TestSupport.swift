// Shared test helpers: fixture paths and the one "close enough" rule (DESIGN.md §6).
import Foundation

/// Tests/Fixtures, found relative to this source file so `swift test` needs no resources.
public let fixturesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

/// ../shared next to the repository, when present (real legal corpora).
public let sharedDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared")
