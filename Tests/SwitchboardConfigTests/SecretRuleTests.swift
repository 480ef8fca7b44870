import Foundation
import Testing

@testable import SwitchboardConfig

/// Start-up refuses a secret anyone could guess: empty or short tokens, passwords and secrets, weak
/// keys, and the demo values shipped in Config/ on a server others can reach. Problems name the
/// file, line and key, never the value.
@Suite("Secrets at start-up")
struct SecretRuleTests {
    static let strong = "strong-secret-0123456789abcdef"

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var environment: [String: String] = [:]
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "a short admin token", yaml: #"admin_tokens: ["short-token"]"#,
            expected: ["c.yaml:1:15: admin_tokens: token 1 is 11 characters, fewer than 24; `switchboard secret` prints a fresh one"]),
        Case(
            name: "an empty admin token from the environment", yaml: "",
            environment: ["SWITCHBOARD_ADMIN_TOKENS": "\(strong), x"],
            expected: ["environment: SWITCHBOARD_ADMIN_TOKENS token 2 is 1 characters, fewer than 24; `switchboard secret` prints a fresh one"]),
        Case(
            name: "an empty source secret from the environment (an unset compose variable)",
            yaml: "sources:\n  - {name: sl, kind: slack}", environment: ["SWITCHBOARD_SOURCES_SL_SECRET": ""],
            expected: ["environment: SWITCHBOARD_SOURCES_SL_SECRET is empty; `switchboard secret` prints a fresh one"]),
        Case(
            name: "a Standard Webhooks key of 8 bytes", yaml: "sources:\n  - {name: web, secret: \"whsec_AAAAAAAAAAA=\"}",
            expected: [#"c.yaml:2:25: source "web": secret has a key of 8 bytes, fewer than 16; `switchboard secret` prints a fresh one"#]),
        Case(
            name: "a short email password", yaml: "sources:\n  - {name: mail, kind: email, username: postmark, password: hunter2}",
            expected: [#"c.yaml:2:61: source "mail": password is 7 characters, fewer than 24; `switchboard secret` prints a fresh one"#]),
        Case(
            name: "the demo admin token on every interface", yaml: "server: {host: 0.0.0.0}\nadmin_tokens: [\"demo-admin-token-loopback-only\"]",
            expected: [
                "c.yaml:2:15: admin_tokens: token 1 is a demo value shipped with Switchboard, refused unless server.host is loopback (127.0.0.1), found 0.0.0.0"
            ]),
        Case(
            name: "the demo webhook secret, the host from the environment",
            yaml: "sources:\n  - {name: web, secret: \"whsec_4QxSqGakjJI03OrpXOiXdRiRHKoJb8fJMNvZqCZwkA0=\"}",
            environment: ["SWITCHBOARD_SERVER_HOST": "0.0.0.0"],
            expected: [
                #"c.yaml:2:25: source "web": secret is a demo value shipped with Switchboard, refused unless server.host is loopback (127.0.0.1), found 0.0.0.0"#
            ]),
        Case(name: "the demo admin token on loopback", yaml: "admin_tokens: [\"demo-admin-token-loopback-only\"]", expected: []),
    ]

    @Test("each weak secret is refused where it was written", arguments: cases)
    func refused(_ testCase: Case) {
        let problems = Fixtures.problems {
            _ = try SwitchboardConfiguration.parse(yaml: testCase.yaml, file: "c.yaml", environment: testCase.environment)
        }
        #expect(problems == testCase.expected)
    }

    @Test("the shipped configuration starts on loopback and is refused on every interface, naming no value")
    func shipped() throws {
        let text = try String(contentsOfFile: "Config/switchboard.yaml", encoding: .utf8)
        #expect(Fixtures.problems { _ = try SwitchboardConfiguration.parse(yaml: text, file: "Config/switchboard.yaml") } == [])
        let open = Fixtures.problems {
            _ = try SwitchboardConfiguration.parse(
                yaml: text, file: "Config/switchboard.yaml", environment: ["SWITCHBOARD_SERVER_HOST": "0.0.0.0"])
        }
        #expect(open.count == 3)  // the admin token, the viewer token, the web source's secret
        #expect(open.allSatisfy { $0.contains("demo value") && !$0.contains("demo-admin") && !$0.contains("whsec_") })
    }

    @Test("the Docker image's configuration starts only with secrets from the environment")
    func docker() throws {
        let text = try String(contentsOfFile: "Config/docker.yaml", encoding: .utf8)
        let bare = Fixtures.problems { _ = try SwitchboardConfiguration.parse(yaml: text, file: "Config/docker.yaml") }
        #expect(bare.contains { $0.contains("SWITCHBOARD_SOURCES_WEB_SECRET") })
        let given = try SwitchboardConfiguration.parse(
            yaml: text, file: "Config/docker.yaml",
            environment: [
                "SWITCHBOARD_ADMIN_TOKENS": Self.strong, "SWITCHBOARD_SOURCES_WEB_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ])
        #expect(given.server.host == "0.0.0.0")
        #expect(given.adminTokens == [Self.strong])
    }

    @Test("a desk secret: a weak key, and a demo secret for a desk others reach, are refused")
    func desks() {
        func problems(_ url: String, _ secret: String) -> [String] {
            Fixtures.problems {
                _ = try AgentsLoader.parse(
                    yaml: "agents:\n  - {id: ana, name: Ana, skills: {general: 1}, desk: {url: \"\(url)\", secret: \"\(secret)\"}}",
                    file: "agents.yaml")
            }
        }
        let demo = "whsec_mmcxXWX5MRHVmuInCVFMH0vN0iHVJpo9Qmi8rz8vUuw="
        #expect(problems("http://127.0.0.1:9001/handoffs", demo) == [])
        #expect(
            problems("https://desk.example.com/handoffs", demo)
                == ["agents.yaml:2:105: agent \"ana\": desk secret is a demo value shipped with Switchboard, refused for a desk that is not on loopback"])
        #expect(
            problems("https://desk.example.com/handoffs", "whsec_AAAAAAAAAAA=")
                == ["agents.yaml:2:105: agent \"ana\": desk secret has a key of 8 bytes, fewer than 16; `switchboard secret` prints a fresh one"])
    }
}
