import Foundation
import SwitchboardSQLite
import Testing

@testable import SwitchboardServer

/// The sessions behind the /admin page, over a store: ids and CSRF tokens, lifetime, notices.
@Suite("Admin sessions: lifetime, secrets, notices")
struct AdminSessionsTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func sessions(lifetime: TimeInterval) throws -> AdminSessions {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("switchboard-sessions-\(UUID().uuidString)/test.db").path
        return AdminSessions(lifetime: lifetime, store: try SQLiteStore(path: path))
    }

    @Test("a session lasts its lifetime and is refused after")
    func lifetime() async throws {
        let sessions = try Self.sessions(lifetime: 10)
        let (first, session) = try await sessions.create(actor: "token:abc", now: Self.t0)
        #expect(session.expiresAt == Self.t0.addingTimeInterval(10))
        #expect(try await sessions.session(id: first, now: Self.t0.addingTimeInterval(9.9))?.actor == "token:abc")
        #expect(try await sessions.session(id: first, now: Self.t0.addingTimeInterval(10)) == nil)
    }

    @Test("ids and CSRF tokens are 256 random bits, distinct for every session; the id is not what the store keeps")
    func secrets() async throws {
        let sessions = try Self.sessions(lifetime: 60)
        var made: [(id: String, session: AdminSession)] = []
        for _ in 0..<50 { made.append(try await sessions.create(actor: "token:abc")) }
        let values = made.flatMap { [$0.id, $0.session.csrfToken] }
        #expect(Set(values).count == 100)
        #expect(values.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test("a notice shows once; ending a session forgets it")
    func notices() async throws {
        let sessions = try Self.sessions(lifetime: 60)
        let (id, _) = try await sessions.create(actor: "token:abc")
        try await sessions.setNotice(AdminNotice(kind: .success, text: "Published version 2."), id: id)
        #expect(try await sessions.takeNotice(id: id)?.text == "Published version 2.")
        #expect(try await sessions.takeNotice(id: id) == nil)
        try await sessions.end(id: id)
        #expect(try await sessions.session(id: id) == nil)
    }
}
