import Synchronization

/// What concurrent tasks saw, in the order they recorded it.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    func record(_ value: Value) { values.withLock { $0.append(value) } }

    func record(_ more: [Value]) { values.withLock { $0 += more } }

    var all: [Value] { values.withLock { $0 } }
}
