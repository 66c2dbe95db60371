// Prometheus metrics of one server (GET /metrics), recorded through the swift-metrics API with
// a factory bound to this server's own registry (no global bootstrap, so several servers can
// run in one process, e.g. in tests). Names and labels: docs/serve.md.
import Metrics
import Prometheus

final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    let inFlight: Meter

    init() {
        var f = PrometheusMetricsFactory(registry: registry)
        let latency: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                   .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                   .milliseconds(2_500), .seconds(5), .seconds(10), .seconds(30)]
        f.defaultDurationHistogramBuckets = latency
        f.valueHistogramBuckets = [
            "docket_batch_size": [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
            "docket_batch_tokens": [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536],
        ]
        factory = f
        inFlight = Meter(label: "docket_http_requests_in_flight", factory: f)
    }

    /// One finished HTTP request: count by route and status, latency by route.
    func request(route: String, status: Int, seconds: Double) {
        Counter(label: "docket_http_requests_total", dimensions: [("route", route), ("status", String(status))], factory: factory)
            .increment()
        Timer(label: "docket_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Time a request's first document waited for a forward worker.
    func queue(model: String, seconds: Double) {
        Timer(label: "docket_queue_duration_seconds", dimensions: [("model", model)], factory: factory)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    /// One dynamic batch: documents, tokens, forward time.
    func batch(model: String, documents: Int, tokens: Int, seconds: Double) {
        Recorder(label: "docket_batch_size", dimensions: [("model", model)], aggregate: true, factory: factory).record(documents)
        Recorder(label: "docket_batch_tokens", dimensions: [("model", model)], aggregate: true, factory: factory).record(tokens)
        Timer(label: "docket_batch_inference_duration_seconds", dimensions: [("model", model)], factory: factory)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Documents classified, by predicted label.
    func classified(model: String, labels: [String]) {
        var byLabel: [String: Int] = [:]
        for l in labels { byLabel[l, default: 0] += 1 }
        for (l, n) in byLabel {
            Counter(label: "docket_documents_classified_total", dimensions: [("model", model), ("label", l)], factory: factory)
                .increment(by: n)
        }
    }

    /// Monitoring gauges from a report (NaN is not written: a gauge without data keeps its last value).
    func monitor(model: String, _ r: MonitorReport) {
        func gauge(_ name: String, _ v: Double?) {
            guard let v else { return }
            Gauge(label: name, dimensions: [("model", model)], factory: factory).record(v)
        }
        gauge("docket_monitor_psi", r.psi)
        gauge("docket_monitor_mean_confidence", r.meanConfidence)
        gauge("docket_monitor_low_confidence_share", r.lowConfidenceShare)
        gauge("docket_monitor_feedback_accuracy", r.feedbackAccuracy)
        gauge("docket_monitor_accuracy_alert", r.accuracyAlert ? 1 : 0)
    }

    /// Prometheus text exposition format.
    func exposition() -> String { registry.emitToString() }
}
