// `docket serve`: the HTTP server (Hummingbird 2 on SwiftNIO). Routes (docs/serve.md):
//   POST /predict, /v1/classify, /feedback   GET /monitor, /info   (default model = the first)
//   the same under /models/NAME/...           GET /health, /metrics (Prometheus text)
// Inference never runs on a NIO event loop: handlers tokenize, then await the model's
// InferenceBatcher, whose forward workers are their own threads. SIGTERM / SIGINT start a
// graceful shutdown (swift-service-lifecycle): the listener closes, in-flight requests finish
// and get their answers, then the forward workers stop and `run` returns.
import Docket
import DocketBase
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals
import Synchronization

public final class DocketHTTPServer: Sendable {
    public let options: ServerOptions
    let models: [ServedModel]
    let metrics = ServerMetrics()
    let logger: Logger
    private let inFlight = Atomic<Int>(0)

    /// Loads every model (the first is the default for the un-prefixed routes).
    /// - Parameters:
    ///   - classifierOptions: max length, long-document mode, precision for each model (top-k and
    ///     concurrency are set here: every label is ranked, one workspace per --workers).
    ///   - topK: default "top_k" of /v1/classify (nil: not listed, as `docket classify` without --top-k).
    public init(models specs: [ModelSpec], classifierOptions: (ModelSpec) throws -> TextClassifier.Options, topK: Int?,
                options: ServerOptions, logger: Logger) throws {
        try options.validate()
        guard !specs.isEmpty else { throw ServerConfigError("at least one --model is needed") }
        var seen = Set<String>()
        for s in specs where !seen.insert(s.name).inserted {
            throw ServerConfigError("two models are named \"\(s.name)\": use --model NAME=DIR")
        }
        if let topK, topK < 1 { throw ServerConfigError("--top-k must be at least 1") }
        self.options = options
        self.logger = logger
        let metrics = self.metrics
        models = try specs.map { spec in
            let dir = URL(fileURLWithPath: spec.directory)
            var o = try classifierOptions(spec)
            o.topK = 1 << 20  // every label ranked; requests take the top k they ask for
            o.concurrency = options.workers
            let classifier = try TextClassifier(directory: dir, options: o)
            let reference = TrainingReference(metadata: classifier.metadata)
            return ServedModel(spec: spec, classifier: classifier, reference: reference, defaultTopK: topK,
                               options: options, metrics: metrics)
        }
        for m in models {
            for n in m.classifier.notices { logger.notice("\(m.name): \(n)") }
            if m.monitor.reference.labelCounts == nil {
                logger.notice("\(m.name): no training distribution recorded (docket.json): drift (PSI) monitoring unavailable")
            }
        }
    }

    /// Serves until a shutdown signal (or cancellation), then drains. `onRunning` gets the bound port.
    public func run(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
                    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router()
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: JSONErrorMiddleware())
        addRoutes(router)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "docket/\(DocketVersion.current)"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: gracefulShutdownSignals,
                                                      logger: logger))
        do { try await group.run() } catch {
            await stopWorkers()
            throw error
        }
        await stopWorkers()
        logger.info("drained and stopped")
    }

    private func stopWorkers() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let models = self.models
            Thread.detachNewThread { for m in models { m.batcher.shutdown() }; c.resume() }
        }
    }

    private func addRoutes(_ router: Router<BasicRequestContext>) {
        router.get("/health") { [self] _, _ in
            jsonResponse("{\"status\":\"ok\",\"models\":[\(models.map { JSONParser.quote($0.name) }.joined(separator: ","))]}")
        }
        router.get("/metrics") { [self] _, _ in
            for m in models { metrics.monitor(model: m.name, m.monitor.report()) }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        for prefix in ["", "/models/:model"] {
            router.get(RouterPath("\(prefix)/info")) { [self] _, ctx in
                let m = try model(ctx)
                return jsonResponse(m.infoJSON(version: DocketVersion.current, options: options))
            }
            router.get(RouterPath("\(prefix)/monitor")) { [self] _, ctx in jsonResponse(try model(ctx).monitor.report().json) }
            router.post(RouterPath("\(prefix)/predict")) { [self] req, ctx in try await inference(req, ctx, predict) }
            router.post(RouterPath("\(prefix)/v1/classify")) { [self] req, ctx in try await inference(req, ctx, classify) }
            router.post(RouterPath("\(prefix)/feedback")) { [self] req, ctx in try feedback(model(ctx), try await body(req)) }
        }
    }

    /// The model named in the path, or the default one.
    private func model(_ ctx: BasicRequestContext) throws -> ServedModel {
        guard let name = ctx.parameters.get("model") else { return models[0] }
        guard let m = models.first(where: { $0.name == name }) else {
            throw APIError.notFound("no model \"\(name)\" (served: \(models.map(\.name).joined(separator: ", ")))")
        }
        return m
    }

    /// The request body, at most --max-body-bytes (413 past it, from Content-Length or while reading).
    private func body(_ req: Request) async throws -> [UInt8] {
        if let length = req.headers[.contentLength].flatMap({ Int($0) }), length > options.maxBodyBytes {
            throw APIError.bodyTooLarge(options.maxBodyBytes)
        }
        do {
            let buffer = try await req.body.collect(upTo: options.maxBodyBytes)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError.bodyTooLarge(options.maxBodyBytes)
        }
    }

    /// Admission (429 past --max-concurrent-requests), body, then the route's work.
    private func inference(_ req: Request, _ ctx: BasicRequestContext,
                           _ work: (ServedModel, [UInt8], ContinuousClock.Instant) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let m = try model(ctx)
        let now = inFlight.add(1, ordering: .relaxed).newValue
        defer { inFlight.subtract(1, ordering: .relaxed) }
        guard now <= options.maxConcurrentRequests else { throw APIError.overloaded(options.maxConcurrentRequests) }
        return try await work(m, try await body(req), start)
    }

    /// Tokenizes and runs documents through the model's batcher; records queue time and monitoring.
    private func run(_ m: ServedModel, _ docs: [EncodedDocument], ids: [String?]) async throws -> ([Prediction], Double) {
        let (preds, queue) = try await m.batcher.classify(docs, timeout: options.requestTimeout)
        metrics.queue(model: m.name, seconds: queue)
        m.monitor.record(zip(preds, ids).map { (label: $0.label, confidence: $0.score, id: $1) })
        return (preds, queue)
    }

    private func encode(_ m: ServedModel, _ text: String, _ pair: String?, field: String) throws -> EncodedDocument {
        do { return try m.classifier.encodeDocument(text, pair: pair) } catch {
            throw APIError(.unprocessableContent, "tokenizer", "\(field): \(error)")
        }
    }

    /// POST /predict — TEI: every label with its probability (or logit with raw_scores), best first.
    private func predict(_ m: ServedModel, _ body: [UInt8], _ start: ContinuousClock.Instant) async throws -> Response {
        let req = try RequestParsing.predict(body, maxInputs: options.maxClientBatchSize)
        let truncate = req.truncate ?? options.autoTruncate
        let docs = try req.inputs.enumerated().map { i, input in
            let field = req.isBatch ? "inputs[\(i)]" : "inputs"
            let d = try encode(m, input.text, input.pair, field: field)
            if d.exceedsMaxLength && !m.chunked && !truncate {
                throw APIError.tooLarge("\(field) has more than \(m.classifier.maxLength) tokens (the model's max length); "
                                        + "send \"truncate\": true or start the server with --auto-truncate")
            }
            return d
        }
        let (preds, queue) = try await run(m, docs, ids: Array(repeating: nil, count: docs.count))
        let labels = m.classifier.labels
        let lists = preds.map { p -> String in
            let scores = req.rawScores ? p.logits : labels.map { p.probabilities[$0] ?? 0 }
            let order = scores.indices.sorted { (scores[$0], -$0) > (scores[$1], -$1) }
            return "[" + order.map { "{\"score\":\(number(scores[$0])),\"label\":\(JSONParser.quote(labels[$0]))}" }
                .joined(separator: ",") + "]"
        }
        let json = req.isBatch ? "[" + lists.joined(separator: ",") + "]" : lists[0]
        return jsonResponse(json, headers: timingHeaders(start: start, queue: queue, tokens: docs.reduce(0) { $0 + $1.tokenCount }))
    }

    /// POST /v1/classify — the JSON objects `docket classify` writes, in input order.
    private func classify(_ m: ServedModel, _ body: [UInt8], _ start: ContinuousClock.Instant) async throws -> Response {
        let req = try RequestParsing.classify(body, maxInputs: options.maxClientBatchSize)
        let docs = try req.documents.enumerated().map { i, d in try encode(m, d.text, d.textPair, field: "documents[\(i)]") }
        let ids = req.documents.map { d in d.fields.first { $0.key == "id" }.map { RequestParsing.idString($0.json) } }
        let (preds, queue) = try await run(m, docs, ids: ids)
        let k = req.topK ?? m.defaultTopK
        let lines = zip(req.documents, preds).map { d, p in
            p.limitingTopK(k ?? 1).jsonLine(labels: m.classifier.labels, document: d, includeTopK: k != nil,
                                            includeWindows: m.chunked, multiLabel: m.classifier.problemType == .multiLabel)
        }
        let json = "{\"model\":\(JSONParser.quote(m.name)),\"predictions\":[" + lines.joined(separator: ",") + "]}"
        return jsonResponse(json, headers: timingHeaders(start: start, queue: queue, tokens: docs.reduce(0) { $0 + $1.tokenCount }))
    }

    /// POST /feedback — gold labels for earlier predictions; updates the rolling accuracy.
    private func feedback(_ m: ServedModel, _ body: [UInt8]) throws -> Response {
        let items = try RequestParsing.feedback(body, labels: m.classifier.labels, maxItems: max(options.maxClientBatchSize, 10_000))
        var pairs: [(predicted: String, gold: String)] = []
        var unknown: [String] = []
        for item in items {
            if let p = item.predicted ?? item.id.flatMap(m.monitor.predictedLabel(id:)) {
                pairs.append((p, item.gold))
            } else if let id = item.id {
                unknown.append(id)
            }
        }
        let alerted = m.monitor.feedback(pairs)
        let r = m.monitor.report()
        if alerted {
            let message = "\(m.name): rolling accuracy \(fmt(r.feedbackAccuracy)) over \(r.feedback) feedback items is more than "
                + "\(r.alertAccuracyDrop) below the evaluation accuracy \(fmt(r.evalAccuracy)) recorded at training time"
            logger.warning("\(message)")
        }
        let json = "{\"accepted\":\(pairs.count),\"unknown_ids\":[\(unknown.map(JSONParser.quote).joined(separator: ","))],"
            + "\"feedback\":\(r.feedback),\"feedback_accuracy\":\(r.feedbackAccuracy.map { "\($0)" } ?? "null"),"
            + "\"eval_accuracy\":\(r.evalAccuracy.map { "\($0)" } ?? "null"),\"accuracy_alert\":\(r.accuracyAlert)}"
        return jsonResponse(json)
    }

    private func fmt(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "n/a" }

    /// TEI-style timing headers (milliseconds) and the token count.
    private func timingHeaders(start: ContinuousClock.Instant, queue: Double, tokens: Int) -> HTTPFields {
        let total = ContinuousClock.now - start
        let ms = Double(total.components.seconds) * 1e3 + Double(total.components.attoseconds) / 1e15
        var h = HTTPFields()
        if let n = HTTPField.Name("x-total-time") { h[n] = String(Int(ms.rounded())) }
        if let n = HTTPField.Name("x-queue-time") { h[n] = String(Int((queue * 1e3).rounded())) }
        if let n = HTTPField.Name("x-compute-tokens") { h[n] = String(tokens) }
        return h
    }
}

/// A Float as JSON (null when not finite).
func number(_ x: Float) -> String { x.isFinite ? "\(x)" : "null" }

/// Counts and times every request by route (the matched pattern) and status; in-flight gauge.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        metrics.inFlight.increment()
        defer { metrics.inFlight.decrement() }
        let response = try await next(request, context)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        metrics.request(route: context.endpointPath ?? "NotFound", status: Int(response.status.code), seconds: seconds)
        return response
    }
}
