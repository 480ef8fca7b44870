import Foundation
import Testing

@testable import SwitchboardServer

/// The in-memory session store behind the /admin page.
@Suite("Admin sessions: lifetime, pruning, notices")
struct AdminSessionsTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a session lasts its lifetime and is refused and forgotten after; signing in prunes the expired ones")
    func lifetime() {
        let sessions = AdminSessions(lifetime: 10)
        let (first, session) = sessions.create(actor: "token:abc", now: Self.t0)
        #expect(session.expiresAt == Self.t0.addingTimeInterval(10))
        #expect(sessions.session(id: first, now: Self.t0.addingTimeInterval(9.9))?.actor == "token:abc")
        #expect(sessions.session(id: first, now: Self.t0.addingTimeInterval(10)) == nil)
        #expect(sessions.count == 0)

        let (second, _) = sessions.create(actor: "token:abc", now: Self.t0)
        _ = sessions.create(actor: "token:def", now: Self.t0.addingTimeInterval(30))
        #expect(sessions.count == 1)
        #expect(sessions.session(id: second, now: Self.t0.addingTimeInterval(5)) == nil)
    }

    @Test("ids and CSRF tokens are 256 random bits, distinct for every session")
    func secrets() {
        let sessions = AdminSessions(lifetime: 60)
        let made = (0..<50).map { _ in sessions.create(actor: "token:abc") }
        let values = made.flatMap { [$0.id, $0.session.csrfToken] }
        #expect(Set(values).count == 100)
        #expect(values.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test("a notice shows once; ending a session forgets it")
    func notices() {
        let sessions = AdminSessions(lifetime: 60)
        let (id, _) = sessions.create(actor: "token:abc")
        sessions.setNotice(AdminNotice(kind: .success, text: "Published version 2."), id: id)
        #expect(sessions.takeNotice(id: id)?.text == "Published version 2.")
        #expect(sessions.takeNotice(id: id) == nil)
        sessions.end(id: id)
        #expect(sessions.session(id: id) == nil)
    }
}
