// Limits and batching settings of `docket serve` (docs/serve.md lists each flag). Every limit
// is bounded and checked at start-up so a typo cannot make the server unbounded.
import Foundation

public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 = any free port (the bound port is reported through `onRunning`).
    public var port = 8080
    /// Largest token count (all windows, special tokens included) merged into one dynamic batch.
    public var maxBatchTokens = 16_384
    /// Largest number of documents merged into one dynamic batch.
    public var maxBatchRequests = 256
    /// Rows per forward pass inside a dynamic batch (as `docket classify --batch-size`).
    public var batchSize = 32
    /// Requests (predict / classify) in flight at once; one more is answered 429.
    public var maxConcurrentRequests = 512
    /// Inputs in one request; more is answered 413.
    public var maxClientBatchSize = 32
    /// Request body size; larger is answered 413.
    public var maxBodyBytes = 2_000_000
    /// Seconds a request may take (queue + inference); then 504.
    public var requestTimeout: Double = 30
    /// TEI `auto_truncate`: /predict truncates inputs longer than the model's max length when the
    /// request says nothing; otherwise such an input is answered 413.
    public var autoTruncate = false
    /// Forward workers (threads), each with its own workspace. Forwards running at once share
    /// the cores (one alone uses them all); docs/serve.md has the measured trade-off.
    public var workers = 1
    /// Monitoring: predictions and feedback kept in the rolling windows.
    public var monitorWindow = 1_000
    /// Monitoring: confidence below this is "would be routed to a person".
    public var routingThreshold: Double = 0.5
    /// Monitoring: alert when rolling feedback accuracy is this far below the training-time eval accuracy.
    public var alertAccuracyDrop: Double = 0.05
    /// Monitoring: feedback items needed before the accuracy alert can fire.
    public var alertMinFeedback = 50

    public init() {}

    /// Throws a message naming the flag when a value is out of range.
    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws {
            if !ok { throw ServerConfigError(message) }
        }
        try check((0...65_535).contains(port), "--port must be in 0...65535")
        try check((1...1_048_576).contains(maxBatchTokens), "--max-batch-tokens must be in 1...1048576")
        try check((1...65_536).contains(maxBatchRequests), "--max-batch-requests must be in 1...65536")
        try check((1...4_096).contains(batchSize), "--batch-size must be in 1...4096")
        try check((1...1_000_000).contains(maxConcurrentRequests), "--max-concurrent-requests must be in 1...1000000")
        try check((1...100_000).contains(maxClientBatchSize), "--max-client-batch-size must be in 1...100000")
        try check((1...1_073_741_824).contains(maxBodyBytes), "--max-body-bytes must be in 1...1073741824")
        try check(requestTimeout > 0 && requestTimeout <= 86_400, "--request-timeout must be in (0, 86400] seconds")
        try check((1...64).contains(workers), "--workers must be in 1...64")
        try check((1...10_000_000).contains(monitorWindow), "--monitor-window must be in 1...10000000")
        try check((0...1).contains(routingThreshold), "--threshold must be in [0, 1]")
        try check((0...1).contains(alertAccuracyDrop), "--alert-accuracy-drop must be in [0, 1]")
        try check((1...10_000_000).contains(alertMinFeedback), "--alert-min-feedback must be in 1...10000000")
    }
}

/// A server setting that cannot be used (flag out of range, duplicate model name): the CLI
/// prints the message and exits before listening.
public struct ServerConfigError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ message: String) { description = message }
}
