// `docket serve`: the HTTP classification server (DocketServer; docs/serve.md).
import ArgumentParser
import Docket
import DocketServer
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve one or more classifiers over HTTP (TEI-compatible /predict, /v1/classify, /metrics).",
        discussion: """
        Routes: POST /predict (TEI), POST /v1/classify (docket classify's JSON objects), POST /feedback, \
        GET /monitor, /info, /health, /metrics; with several models also /models/NAME/<route>. \
        SIGTERM or SIGINT drains in-flight requests and exits 0. See docs/serve.md.
        """)

    @Option(help: ArgumentHelp("Checkpoint directory, or NAME=DIR; repeat for several models (the first is the default).",
                               valueName: "[NAME=]DIR"))
    var model: [String]

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port, printed on stderr).")
    var port = 8080

    @Option(help: "Maximum tokens per sequence, special tokens included (default: the model's, at most 512).")
    var maxLength: Int?

    @Option(help: "Default \"top_k\" of /v1/classify (labels listed best first); requests may set their own.")
    var topK: Int?

    @OptionGroup var long: LongDocumentOptions
    @OptionGroup var precision: PrecisionOptions

    @Option(help: "Most tokens (all windows, special tokens included) merged into one dynamic batch.")
    var maxBatchTokens = 16_384

    @Option(help: "Most documents merged into one dynamic batch.")
    var maxBatchRequests = 256

    @Option(help: "Rows per forward pass inside a dynamic batch (as docket classify --batch-size).")
    var batchSize = 32

    @Option(help: "Requests in flight at once (/predict, /v1/classify); past it the answer is 429.")
    var maxConcurrentRequests = 512

    @Option(help: "Inputs per request; past it the answer is 413.")
    var maxClientBatchSize = 32

    @Option(help: "Request body limit in bytes; past it the answer is 413.")
    var maxBodyBytes = 2_000_000

    @Option(help: "Seconds a request may wait and run before it is answered 504.")
    var requestTimeout: Double = 30

    @Flag(help: "/predict truncates over-long inputs when the request does not say (TEI --auto-truncate); otherwise 413.")
    var autoTruncate = false

    @Option(help: "Forward worker threads, each with its own workspace. Forwards running at once share the cores; one alone uses them all (docs/serve.md: 2 raise throughput at 8 and 64 connections, same latency at 1).")
    var workers = 2

    @Option(help: "Monitoring: predictions and feedback items kept in the rolling windows.")
    var monitorWindow = 1_000

    @Option(help: "Monitoring: confidence below this counts as routed to a person (low_confidence_share).")
    var threshold: Double = 0.5

    @Option(help: "Monitoring: alert (gauge + warning) when rolling feedback accuracy is this far below the eval accuracy saved at training.")
    var alertAccuracyDrop: Double = 0.05

    @Option(help: "Monitoring: feedback items needed before the accuracy alert can fire.")
    var alertMinFeedback = 50

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard !model.isEmpty else { throw ValidationError("--model is required") }
        if let maxLength, maxLength < 3 { throw ValidationError("--max-length must be at least 3") }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1") }
    }

    func run() async throws {
        var o = ServerOptions()
        o.host = host; o.port = port
        o.maxBatchTokens = maxBatchTokens; o.maxBatchRequests = maxBatchRequests; o.batchSize = batchSize
        o.maxConcurrentRequests = maxConcurrentRequests; o.maxClientBatchSize = maxClientBatchSize
        o.maxBodyBytes = maxBodyBytes; o.requestTimeout = requestTimeout; o.autoTruncate = autoTruncate
        o.workers = workers; o.monitorWindow = monitorWindow; o.routingThreshold = threshold
        o.alertAccuracyDrop = alertAccuracyDrop; o.alertMinFeedback = alertMinFeedback
        let server: DocketHTTPServer
        do {
            let logger = try ServerLogging.stderrLogger(level: logLevel)
            let long = self.long, maxLength = self.maxLength, precision = self.precision.precision
            server = try DocketHTTPServer(models: model.map(ModelSpec.parse), classifierOptions: { spec in
                // Same option handling as docket classify (chunk stride default: a quarter of the max length).
                try long.classifierOptions(model: spec.directory, base: .init(maxLength: maxLength, precision: precision))
            }, topK: topK, options: o, logger: logger)
        } catch { throw CLIError("\(error)") }
        let host = self.host
        do {
            try await server.run { port in
                FileHandle.standardError.write(Data("docket serve: listening on http://\(host):\(port)\n".utf8))
            }
        } catch { throw CLIError("\(error)") }
    }
}
