import Synchronization

/// A flag shared between tasks.
final class SharedFlag: Sendable {
    private let storage: Atomic<Bool>

    init(_ value: Bool) { storage = Atomic(value) }

    var value: Bool {
        get { storage.load(ordering: .relaxed) }
        set { storage.store(newValue, ordering: .relaxed) }
    }
}

/// A counter shared between tasks.
final class SharedCounter: Sendable {
    private let storage = Atomic<Int>(0)

    func add(_ amount: Int = 1) { storage.add(amount, ordering: .relaxed) }

    var value: Int { storage.load(ordering: .relaxed) }
}
