import Foundation
import HummingbirdTesting
import Testing

/// The agent API refuses a desk URL at an address outbound connections may not reach: a metadata address
/// always, a name resolving to a loopback or private one when `outbound.allow_private` is false.
@Suite("Outbound guard on the agent API")
struct OutboundGuardTests {
    static func agent(_ url: String) -> String {
        #"{"name": "Cy", "skills": {"general": 1}, "desk": {"url": "\#(url)", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}"#
    }

    @Test("a metadata desk URL answers 422 naming the address; a loopback one is allowed by default")
    func metadata() async throws {
        let environment = try TestEnvironment(agents: [])
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let refused = try await client.admin("/v1/agents/cy", method: .put, json: Self.agent("http://169.254.169.254/latest/meta-data/"))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorMessage?.contains("desk url is refused: 169.254.169.254 is a link-local address") == true, "\(refused.errorMessage ?? "")")
            let v6 = try await client.admin("/v1/agents/cy", method: .put, json: Self.agent("http://[fd00:ec2::254]/"))
            #expect(v6.status == .unprocessableContent)
            let local = try await client.admin("/v1/agents/cy", method: .put, json: Self.agent("http://localhost:9001/handoffs"))
            #expect(local.status == .ok)
        }
    }

    @Test("with outbound.allow_private false, a name that resolves to loopback answers 422")
    func privateRefused() async throws {
        var environment = try TestEnvironment(agents: [])
        environment.configuration.outbound.allowPrivate = false
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let refused = try await client.admin("/v1/agents/cy", method: .put, json: Self.agent("http://localhost:9001/handoffs"))
            #expect(refused.status == .unprocessableContent)
            let message = refused.errorMessage ?? ""
            #expect(message.contains("localhost resolves to ") && message.contains(" is a loopback address"), "\(message)")
        }
    }
}
