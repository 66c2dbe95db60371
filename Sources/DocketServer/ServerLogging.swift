// Logging for `docket serve`: swift-log lines on stderr at a chosen level.
import Logging

public enum ServerLogging {
    /// Bootstraps swift-log to stderr (once per process) and returns the server's logger.
    public static func stderrLogger(level: String) throws -> Logger {
        guard let l = Logger.Level(rawValue: level) else {
            throw ServerConfigError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "docket.serve")
        logger.logLevel = l
        return logger
    }
}
