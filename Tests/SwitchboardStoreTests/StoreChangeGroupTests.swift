import Foundation
import SwitchboardCore
import SwitchboardStore
import Testing

/// Concurrent changes of routing state share transactions: each caller gets its own decision back, and
/// one that fails leaves nothing of itself written, and nothing undone of the others.
@Suite("Store change groups")
struct StoreChangeGroupTests {
    struct Refused: Error, Equatable {
        let index: Int
    }

    @Test("40 concurrent changes, every fourth refused: the others are written with their own results, the refused not", arguments: StoreKind.allCases)
    func concurrentChangesOneRefused(_ kind: StoreKind) async throws {
        let (store, _) = try await kind.make()
        let outcomes = await withTaskGroup(of: (Int, Result<Int, Refused>).self) { group in
            for index in 0..<40 {
                group.addTask {
                    do {
                        let value = try await store.commit(
                            .agent(StoreBehaviourTests.agent("agent-\(index)")), now: StoreBehaviourTests.now
                        ) {
                            if index % 4 == 0 { throw Refused(index: index) }
                            return (index * 10, [])
                        }
                        return (index, .success(value))
                    } catch {
                        return (index, .failure(error as? Refused ?? Refused(index: -1)))
                    }
                }
            }
            return await group.reduce(into: [Int: Result<Int, Refused>]()) { $0[$1.0] = $1.1 }
        }
        for index in 0..<40 {
            if index % 4 == 0 {
                #expect(outcomes[index] == .failure(Refused(index: index)), "change \(index)")
            } else {
                #expect(outcomes[index] == .success(index * 10), "change \(index)")
            }
        }
        let stored = Set(try await store.routingState().agents.map(\.agent.id))
        #expect(stored == Set((0..<40).filter { $0 % 4 != 0 }.map { "agent-\($0)" }))
    }
}
