import Curl
import Testing

/// Which addresses outbound connections may reach, judged on the address a name resolves to.
@Suite("Outbound policy", .timeLimit(.minutes(1)))
struct OutboundPolicyTests {
    static let open = OutboundPolicy()
    static let closed = OutboundPolicy(allowPrivate: false)

    @Test(
        "link-local and metadata addresses are always refused; loopback and private ones only when private is not allowed",
        arguments: [
            ("169.254.169.254", true, true), ("169.254.0.1", true, true), ("100.100.100.200", true, true),
            ("[fe80::1]", true, true), ("fe80::abcd:1", true, true), ("[fd00:ec2::254]", true, true),
            ("[::ffff:169.254.169.254]", true, true),
            ("127.0.0.1", false, true), ("10.1.2.3", false, true), ("172.16.0.1", false, true), ("172.31.255.255", false, true),
            ("192.168.1.1", false, true), ("100.64.0.1", false, true), ("0.0.0.0", false, true), ("[::1]", false, true),
            ("fd12::1", false, true), ("[::ffff:10.0.0.1]", false, true),
            ("172.32.0.1", false, false), ("93.184.216.34", false, false), ("2606:4700::1", false, false),
            ("desk.example.com", false, false),
        ] as [(String, Bool, Bool)])
    func addresses(host: String, alwaysRefused: Bool, refusedWhenClosed: Bool) {
        #expect((Self.open.refusal(literalHost: host) != nil) == alwaysRefused, "\(host) with private allowed")
        #expect((Self.closed.refusal(literalHost: host) != nil) == refusedWhenClosed, "\(host) with private refused")
    }

    @Test("the host of a URL, with user, port, path and brackets")
    func hosts() {
        #expect(OutboundPolicy.host(ofURL: "http://169.254.169.254/latest/meta-data/") == "169.254.169.254")
        #expect(OutboundPolicy.host(ofURL: "https://bot:secret@desk.example.com:8443/hook?x=1") == "desk.example.com")
        #expect(OutboundPolicy.host(ofURL: "imaps://[fe80::1]:993/INBOX") == "[fe80::1]")
        #expect(OutboundPolicy.host(ofURL: "no scheme") == nil)
        #expect(Self.open.refusal(url: "http://169.254.169.254/latest/meta-data/")?.contains("link-local") == true)
        #expect(Self.open.refusal(url: "http://127.0.0.1:9001/handoffs") == nil)
    }

    @Test("a name is judged on what it resolves to")
    func resolving() {
        #expect(Self.closed.refusal(resolving: "localhost")?.hasPrefix("localhost resolves to ") == true)
        #expect(Self.open.refusal(resolving: "localhost") == nil)
        #expect(Self.open.refusal(resolving: "169.254.169.254") != nil)
    }

    @Test("the client checks the address it connects to: a name resolving to a refused one fails, naming it")
    func connectTime() async throws {
        try await TestServer.run { (baseURL: String) async throws -> Void in
            let port = baseURL.split(separator: ":").last.map(String.init) ?? ""
            let url = "http://localhost:\(port)/echo"
            let allowed = try await CurlClient().execute(CurlRequest(url: url))
            #expect(allowed.status == 200)
            let closed = CurlClient(policy: Self.closed)
            let error = await #expect(throws: CurlError.self) { try await closed.execute(CurlRequest(url: url)) }
            #expect(error?.isRefusedAddress == true)
            #expect(error?.message.contains("is a loopback address, refused because outbound.allow_private is false") == true)
        }
        // Never connected to, whatever the network: refused before the connection is made.
        let error = await #expect(throws: CurlError.self) {
            try await CurlClient().execute(CurlRequest(url: "http://169.254.169.254/latest/meta-data/", connectTimeout: .seconds(2)))
        }
        #expect(error?.isRefusedAddress == true)
        #expect(error?.message.contains("169.254.169.254 is a link-local address") == true)
    }
}
