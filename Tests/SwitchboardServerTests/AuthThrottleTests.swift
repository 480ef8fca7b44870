import Curl
import Foundation
import Testing

/// Guessing is throttled: past `auth.max_failures` wrong secrets in a window from one address (or with one
/// secret's first characters), calls answer 429 with Retry-After until the window ends, counted in /metrics;
/// on PostgreSQL the instances count together.
@Suite("Authentication throttling", .serialized)
struct AuthThrottleTests {
    struct Answer {
        var status: Int
        var retryAfter: String?
        var body: String
    }

    static func call(
        _ instances: Instances, _ index: Int, _ path: String, token: String?, method: String = "GET", body: String? = nil,
        contentType: String = "application/json"
    ) async throws -> Answer {
        var request = CurlRequest(method: method, url: instances.base(index) + path, body: body.map { Array($0.utf8) } ?? [])
        if let token { request.headers.append(HTTPHeader("Authorization", "Bearer \(token)")) }
        if body != nil { request.headers.append(HTTPHeader("Content-Type", contentType)) }
        let response = try await instances.client.execute(request)
        return Answer(status: response.status, retryAfter: response.header("Retry-After"), body: String(decoding: response.body, as: UTF8.self))
    }

    static func environment() throws -> TestEnvironment {
        var environment = try TestEnvironment(agents: [])
        environment.configuration.auth.maxFailures = 5
        // Windows are fixed (aligned to the clock): an hour, so that a test's few seconds rarely straddle two.
        environment.configuration.auth.windowSeconds = 3_600
        return environment
    }

    @Test("wrong bearer tokens: 401 up to the limit, then 429 with Retry-After for every call from that address, counted", arguments: DeskTokenLifecycleTests.Backing.allCases)
    func bearer(_ backing: DeskTokenLifecycleTests.Backing) async throws {
        let environment = try Self.environment()
        defer { environment.remove() }
        let instances = try await backing.start(environment)
        // A correct token before any failure: answered at once, as always.
        #expect(try await Self.call(instances, 0, "/v1/agents", token: TestEnvironment.adminToken).status == 200)
        for guess in 0..<5 {
            let answer = try await Self.call(instances, guess, "/v1/agents", token: "guess-\(guess)-0123456789abcdefgh")
            #expect(answer.status == 401, "guess \(guess)")
        }
        // Counted where they failed (each instance its own /metrics), read with the right token before the limit.
        let count = backing == .postgres ? 2 : 1
        let metricsBefore = try await Self.call(instances, 0, "/metrics", token: TestEnvironment.adminToken)
        let failedHere = (0..<5).filter { $0 % count == 0 }.count
        #expect(metricsBefore.body.contains(#"switchboard_auth_failures_total{kind="bearer"} \#(failedHere)"#), "\(metricsBefore.body.split(separator: "\n").filter { $0.contains("auth") })")
        let sixth = try await Self.call(instances, 5, "/v1/agents", token: "guess-5-0123456789abcdefgh")
        #expect(sixth.status == 429)
        #expect(sixth.retryAfter.flatMap(Int.init).map { (1...3_600).contains($0) } == true, "\(sixth.retryAfter ?? "none")")
        #expect(sixth.body.contains("too many failed authentications"))
        // Every instance refuses this address now, without looking at the token, even a right one.
        for index in 0..<count {
            let blocked = try await Self.call(instances, index, "/v1/agents", token: "guess-x-0123456789abcdefgh")
            #expect(blocked.status == 429, "instance \(index)")
        }
        #expect(try await Self.call(instances, 0, "/v1/agents", token: TestEnvironment.adminToken).status == 429)
        let metrics = try await Self.call(instances, 0, "/metrics", token: TestEnvironment.adminToken)
        #expect(metrics.status == 429)
        await instances.stop()
    }

    @Test("the admin sign-in form: wrong tokens past the limit answer 429 with the form saying when to try again")
    func adminSignIn() async throws {
        let environment = try Self.environment()
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            for _ in 0..<5 { #expect(try await client.postSignIn(token: "not-the-admin-token-0123").status == .unauthorized) }
            let refused = try await client.postSignIn(token: "not-the-admin-token-0123")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] != nil)
            #expect(refused.text.contains("too many failed authentications"))
            #expect(refused.setCookie("switchboard_admin") == nil)
        }
    }

    @Test("an email source's path token: wrong ones past the limit answer 429; /metrics counts failures and refusals")
    func inboundPathToken() async throws {
        var environment = try Self.environment()
        environment.configuration.sources.append(
            .init(name: "mail", kind: .email, secret: "", token: EmailEndToEndTests.token))
        defer { environment.remove() }
        try await environment.application().test(.live) { client in
            let email = EmailEndToEndTests.email(messageID: "pm-1", ownId: "<a@example.com>", text: "hello")
            for guess in 0..<5 {
                let answer = try await EmailEndToEndTests.post(client, email, path: "/v1/inbound/mail/tok_guess_\(guess)_0123456789")
                #expect(answer.status == .unauthorized)
            }
            let refused = try await EmailEndToEndTests.post(client, email, path: "/v1/inbound/mail/tok_guess_5_0123456789")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] != nil)
        }
    }
}
