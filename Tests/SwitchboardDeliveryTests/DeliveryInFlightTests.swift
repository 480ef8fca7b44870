import Foundation
import SwitchboardStore
import Testing

@testable import SwitchboardDelivery

/// The bookkeeping that keeps a delivery from going out twice while its mark is committed beside the
/// attempts.
@Suite("Deliveries in flight")
struct DeliveryInFlightTests {
    static func due(_ ids: String...) -> [DueDelivery] {
        ids.map { DueDelivery(id: $0, agentId: "ana", kind: "handoff", payload: [], attempts: 0, desk: nil) }
    }

    @Test("a delivery marked while the due ones were read is not started again, though that read saw it pending")
    func settledDuringTheLook() {
        let inFlight = DeliveryInFlight()
        inFlight.beginLook()
        #expect(inFlight.start(Self.due("d1", "d2"), room: 10).map(\.id) == ["d1", "d2"])
        inFlight.taken(DeliveredMark(id: "d1", at: Date()))
        #expect(inFlight.attempting == 1, "a delivery the desk took no longer takes an attempt's room")
        #expect(inFlight.count == 2, "but it is still pending in the store until marked")

        // The next look reads the store; meanwhile d1's mark commits and it is settled.
        inFlight.beginLook()
        let read = Self.due("d1", "d2", "d3")
        inFlight.settled(inFlight.takeMarks().map(\.id))
        #expect(inFlight.start(read, room: 10).map(\.id) == ["d3"], "d1 was delivered, d2 is still being attempted")

        // A look that begins after the mark no longer sees d1 (the store has it delivered), and nothing stops
        // a delivery settled before it, such as one whose retry is now due.
        inFlight.failed()
        inFlight.settled(["d2"])
        inFlight.beginLook()
        #expect(inFlight.start(Self.due("d2"), room: 10).map(\.id) == ["d2"])
    }

    @Test("room counts the attempts under way only")
    func roomIsAttempts() {
        let inFlight = DeliveryInFlight()
        inFlight.beginLook()
        #expect(inFlight.start(Self.due("a", "b", "c"), room: 2).map(\.id) == ["a", "b"])
        #expect(inFlight.attempting == 2)
        inFlight.taken(DeliveredMark(id: "a", at: Date()))
        inFlight.failed()
        #expect(inFlight.attempting == 0)
        #expect(inFlight.count == 2)
    }
}
