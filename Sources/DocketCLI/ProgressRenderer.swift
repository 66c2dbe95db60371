// The one progress renderer of every command. The library reports progress through callbacks
// (TrainingProgress, TextClassifier's (done, total)); this turns them into stderr text:
//   terminal: one status line rewritten in place ("\r" + ESC[K clears what a longer earlier
//             line left), permanent lines (epoch results) printed above it;
//   piped:    plain lines without carriage returns: every permanent line, and a status line
//             at most every `interval` seconds (or when the caller marks it due), so a log file
//             shows the run is alive without being flooded.
import Foundation

final class ProgressRenderer: @unchecked Sendable {
    let isTerminal: Bool
    private let interval: TimeInterval
    private let lock = NSLock()
    private var drew = false
    private var lastPlain: Date
    private var printedPlain = false
    let start = Date()

    /// `interval`: seconds between plain status lines when piped (DOCKET_PROGRESS_INTERVAL
    /// overrides it, e.g. 0 in tests).
    init(terminal: Bool = isatty(2) == 1, interval: TimeInterval = 10) {
        isTerminal = terminal
        self.interval = ProcessInfo.processInfo.environment["DOCKET_PROGRESS_INTERVAL"].flatMap(Double.init) ?? interval
        lastPlain = start
    }

    var elapsed: TimeInterval { Date().timeIntervalSince(start) }

    /// A transient status line: redrawn on a terminal; piped, printed when `due` or when
    /// `interval` seconds passed since the last plain line.
    func status(_ text: String, due: Bool = false) {
        lock.lock(); defer { lock.unlock() }
        if isTerminal {
            write("\r\u{1B}[K" + text); drew = true
        } else if due || Date().timeIntervalSince(lastPlain) >= interval {
            write(text + "\n"); lastPlain = Date(); printedPlain = true
        }
    }

    /// A line that stays (an epoch's dev results, a final summary).
    func line(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        write((isTerminal ? "\r\u{1B}[K" : "") + text + "\n"); drew = false
        if !isTerminal { lastPlain = Date(); printedPlain = true }
    }

    /// Ends the status line; `summary` is printed on a terminal, and piped only when status
    /// lines were printed (a short piped run stays silent).
    func finish(_ summary: String? = nil) {
        lock.lock(); defer { lock.unlock() }
        if let summary, isTerminal || printedPlain {
            write((isTerminal ? "\r\u{1B}[K" : "") + summary + "\n")
        } else if drew {
            write("\n")
        }
        drew = false
    }

    /// Ranks other than 0 of an MPI job stay silent (rank 0 reports for the job).
    var muted = false

    private func write(_ s: String) { if !muted { FileHandle.standardError.write(Data(s.utf8)) } }
}

extension ProgressRenderer {
    /// "N documents, R/s, ETA Ts" for a count of `done` out of `total` (nil when unknown).
    func throughput(_ what: String, done: Int, total: Int?, fraction: Double? = nil) -> String {
        let t = elapsed, rate = t > 0 ? Double(done) / t : 0
        var text = total.map { "\(what): \(done)/\($0)" } ?? "\(what): \(done)"
        text += ", \(String(format: "%.1f", rate))/s"
        let f = fraction ?? total.map { Double(done) / Double(max($0, 1)) }
        if let f, f > 0.001, f < 1 { text += ", ETA \(Int(t * (1 - f) / f))s" }
        return text
    }
}

/// English count with the right plural: "1 step", "3 steps".
func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
}
