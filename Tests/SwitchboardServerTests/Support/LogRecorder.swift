import Logging
import Synchronization

/// Keeps every message logged through its loggers, with its metadata, so that a test can read what
/// the server said about itself (the routes it registered, say).
final class LogRecorder: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let records = Mutex<[Record]>([])

    /// A logger that records everything from `level` up.
    func logger(level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "test.recorded") { _ in Handler(recorder: self) }
        logger.logLevel = level
        return logger
    }

    /// The records with this message, oldest first.
    func records(_ message: String) -> [Record] {
        records.withLock { $0.filter { $0.message == message } }
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let record = Record(
                level: event.level, message: event.message.description,
                metadata: metadata.merging(event.metadata ?? [:]) { $1 })
            recorder.records.withLock { $0.append(record) }
        }
    }
}
