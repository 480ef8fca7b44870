import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What must be undone however a bench ends: child servers stopped, the throwaway cluster stopped, temporary
/// directories removed. Each piece of work registers its undo and unregisters it once it undid it itself;
/// on SIGINT or SIGTERM whatever is still registered runs, newest first, and the process exits.
enum ExitCleanup {
    private struct Registry {
        var next = 0
        var actions: [(id: Int, name: String, action: @Sendable () -> Void)] = []
        var sources: [any DispatchSourceSignal] = []
        var installed = false
    }
    private static let registry = Mutex(Registry())

    /// Registers `action`; returns the id to unregister it with.
    @discardableResult
    static func register(_ name: String, _ action: @escaping @Sendable () -> Void) -> Int {
        registry.withLock { registry in
            registry.next += 1
            registry.actions.append((registry.next, name, action))
            return registry.next
        }
    }

    /// Forgets the action `id` (the caller undid it itself).
    static func unregister(_ id: Int) {
        registry.withLock { registry in registry.actions.removeAll { $0.id == id } }
    }

    /// Runs every registered action, newest first, once.
    static func runAll() {
        let actions = registry.withLock { registry in
            defer { registry.actions.removeAll() }
            return registry.actions
        }
        for entry in actions.reversed() { entry.action() }
    }

    /// On SIGINT (Ctrl-C) or SIGTERM: runs what is registered, then exits with 128 + the signal.
    static func installSignalHandlers() {
        registry.withLock { registry in
            guard !registry.installed else { return }
            registry.installed = true
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    FileHandle.standardError.write(Data("\nswitchboard bench: signal \(number), stopping what it started\n".utf8))
                    runAll()
                    exit(128 + number)
                }
                source.resume()
                registry.sources.append(source)
            }
        }
    }
}
