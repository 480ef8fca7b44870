import Testing
@testable import SwitchboardConfig

@Suite struct SwitchboardConfigurationTests {
    @Test func exampleFileParses() throws {
        let config = try SwitchboardConfiguration.parse(yaml: Fixtures.config, file: "Config/switchboard.yaml")
        var expected = SwitchboardConfiguration()
        expected.adminTokens = ["change-me-admin-token-0123456789"]
        expected.sources = [SourceSettings(name: "web", kind: .standard, secret: Fixtures.secret)]
        #expect(config == expected)
        #expect(config.server == ServerSettings(host: "127.0.0.1", port: 8080))
        #expect(config.storage.sqlite == ".switchboard/switchboard.db")
        #expect(config.routes == "Routes")
        #expect(config.agents == "Config/agents.yaml")
    }

    @Test func emptyFileGivesTheDefaults() throws {
        let config = try SwitchboardConfiguration.parse(yaml: "", file: "c.yaml")
        #expect(config == SwitchboardConfiguration())
        #expect(config.inbound == InboundSettings(maxBodyBytes: 1_048_576, toleranceSeconds: 300))
        #expect(config.delivery == DeliverySettings(timeoutSeconds: 10, initialBackoffSeconds: 1, maxBackoffSeconds: 300))
        #expect(config.logLevel == "info")
    }

    @Test func everyKeyIsRead() throws {
        let yaml = """
            server: {host: 0.0.0.0, port: 0}
            storage: {sqlite: /var/lib/switchboard.db}
            routes: etc/routes
            agents: etc/agents.yaml
            inbound: {max_body_bytes: 2048, tolerance_seconds: 60}
            delivery: {timeout_seconds: 2.5, initial_backoff_seconds: 0.5, max_backoff_seconds: 30}
            log_level: debug
            """
        let config = try SwitchboardConfiguration.parse(yaml: yaml, file: "c.yaml")
        #expect(config.server == ServerSettings(host: "0.0.0.0", port: 0))
        #expect(config.storage.sqlite == "/var/lib/switchboard.db")
        #expect(config.routes == "etc/routes")
        #expect(config.agents == "etc/agents.yaml")
        #expect(config.inbound == InboundSettings(maxBodyBytes: 2048, toleranceSeconds: 60))
        #expect(config.delivery == DeliverySettings(timeoutSeconds: 2.5, initialBackoffSeconds: 0.5, maxBackoffSeconds: 30))
        #expect(config.logLevel == "debug")
    }

    @Test func adminSessionLifetime() throws {
        #expect(try SwitchboardConfiguration.parse(yaml: "", file: "c.yaml").admin.sessionSeconds == 28_800)
        let config = try SwitchboardConfiguration.parse(yaml: "admin: {session_seconds: 3600}", file: "c.yaml")
        #expect(config.admin.sessionSeconds == 3600)
        let overridden = try SwitchboardConfiguration.parse(
            yaml: "admin: {session_seconds: 3600}", file: "c.yaml",
            environment: ["SWITCHBOARD_ADMIN_SESSION_SECONDS": "900", "SWITCHBOARD_ADMIN_TOKENS": "an-admin-token-0123456789"])
        #expect(overridden.admin.sessionSeconds == 900)
        #expect(overridden.adminTokens == ["an-admin-token-0123456789"])
        let problems = Fixtures.problems { _ = try SwitchboardConfiguration.parse(yaml: "admin: {session_seconds: 0}", file: "c.yaml") }
        #expect(problems == ["c.yaml:1:26: admin.session_seconds must be more than 0 seconds, found 0"])
    }

    @Test func matchTextBytes() throws {
        #expect(try SwitchboardConfiguration.parse(yaml: "", file: "c.yaml").routing.matchTextBytes == 65_536)
        let config = try SwitchboardConfiguration.parse(yaml: "routing: {match_text_bytes: 200000}", file: "c.yaml")
        #expect(config.routing.matchTextBytes == 200_000)
        let problems = Fixtures.problems { _ = try SwitchboardConfiguration.parse(yaml: "routing: {match_text_bytes: 10}", file: "c.yaml") }
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("c.yaml:1:29: routing.match_text_bytes must be") == true)
    }

    @Test func inboundRetention() throws {
        #expect(try SwitchboardConfiguration.parse(yaml: "", file: "c.yaml").inbound.retentionDays == 30)
        #expect(try SwitchboardConfiguration.parse(yaml: "inbound: {retention_days: 7}", file: "c.yaml").inbound.retentionDays == 7)
        let problems = Fixtures.problems { _ = try SwitchboardConfiguration.parse(yaml: "inbound: {retention_days: 0}", file: "c.yaml") }
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("c.yaml:1:27: inbound.retention_days must be") == true)
    }

    @Test func matrixJoinFrom() throws {
        let source = "sources:\n  - {name: chat, kind: matrix, homeserver: \"http://127.0.0.1:8008\", user: \"@bot:localhost\", access_token: t, "
        let config = try SwitchboardConfiguration.parse(yaml: source + "join_from: [\"@carla:localhost\", \"!room:localhost\"]}", file: "c.yaml")
        #expect(config.sources.first?.joinFrom == ["@carla:localhost", "!room:localhost"])
        let problems = Fixtures.problems {
            _ = try SwitchboardConfiguration.parse(yaml: source + "join_from: [carla]}", file: "c.yaml")
        }
        #expect(problems == [#"c.yaml:2:122: source "chat": join_from lists user ids (@user:server) and room ids (!room:server), found "carla""#])
    }

    @Test func emailSenders() throws {
        let source = "sources:\n  - {name: mail, kind: email, token: tok_4f8a1c2e9b7d6a5f0e1d3c2b"
        let plain = try SwitchboardConfiguration.parse(yaml: source + "}", file: "c.yaml")
        #expect(plain.sources.first?.verifySenders == true)
        #expect(plain.sources.first?.authservId == nil)
        let set = try SwitchboardConfiguration.parse(
            yaml: source + ", verify_senders: false, authserv_id: mx.example.com}", file: "c.yaml")
        #expect(set.sources.first?.verifySenders == false)
        #expect(set.sources.first?.authservId == "mx.example.com")
        let problems = Fixtures.problems {
            _ = try SwitchboardConfiguration.parse(yaml: source + ", verify_senders: sometimes}", file: "c.yaml")
        }
        #expect(problems.count == 1)
        #expect(problems.first?.contains("verify_senders") == true)
    }

    @Test func outboundAddresses() throws {
        #expect(try SwitchboardConfiguration.parse(yaml: "", file: "c.yaml").outbound.allowPrivate == true)
        let closed = try SwitchboardConfiguration.parse(yaml: "outbound: {allow_private: false}", file: "c.yaml")
        #expect(closed.outbound.allowPrivate == false)
        let fromEnvironment = try SwitchboardConfiguration.parse(
            yaml: "", file: "c.yaml", environment: ["SWITCHBOARD_OUTBOUND_ALLOW_PRIVATE": "false"])
        #expect(fromEnvironment.outbound.allowPrivate == false)
        let source = "sources:\n  - {name: mbox, kind: imap, url: \"imaps://169.254.169.254/INBOX\", username: u, password: p}"
        let problems = Fixtures.problems { _ = try SwitchboardConfiguration.parse(yaml: source, file: "c.yaml") }
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix(#"c.yaml:2:35: source "mbox": url is refused: 169.254.169.254 is a link-local address"#) == true, "\(problems)")
        let loopback = "outbound: {allow_private: false}\n" + source.replacingOccurrences(of: "169.254.169.254", with: "127.0.0.1")
        let refused = Fixtures.problems { _ = try SwitchboardConfiguration.parse(yaml: loopback, file: "c.yaml") }
        #expect(refused.first?.contains("127.0.0.1 is a loopback address, refused because outbound.allow_private is false") == true, "\(refused)")
    }

    @Test func environmentOverridesTheFile() throws {
        let secret = "whsec_dGhpcy1pcy1hLXRlc3Qtc2VjcmV0LWtleQ=="
        let config = try SwitchboardConfiguration.parse(
            yaml: Fixtures.config + "\n  - {name: help-scout}\n", file: "Config/switchboard.yaml",
            environment: [
                "SWITCHBOARD_SERVER_PORT": "9090",
                "SWITCHBOARD_ADMIN_TOKENS": "first-token-0123456789abcd, second-token-0123456789abcd",
                "SWITCHBOARD_VIEWER_TOKENS": "reader-token-0123456789abcd",
                "SWITCHBOARD_ROUTES_RELOAD_SECONDS": "0.5",
                "SWITCHBOARD_SOURCES_WEB_SECRET": secret,
                "SWITCHBOARD_SOURCES_HELP_SCOUT_SECRET": Fixtures.secret,
                "SWITCHBOARD_DELIVERY_TIMEOUT_SECONDS": "2.5",
                "SWITCHBOARD_INBOUND_MAX_BODY_BYTES": "4096",
                "SWITCHBOARD_LOG_LEVEL": "warning",
                "SWITCHBOARD_ROUTES": "/srv/routes",
                "UNRELATED": "x",
            ])
        #expect(config.server.port == 9090)
        #expect(config.server.host == "127.0.0.1")
        #expect(config.adminTokens == ["first-token-0123456789abcd", "second-token-0123456789abcd"])
        #expect(config.viewerTokens == ["reader-token-0123456789abcd"])
        #expect(config.routesReloadSeconds == 0.5)
        #expect(config.sources == [
            SourceSettings(name: "web", kind: .standard, secret: secret),
            SourceSettings(name: "help-scout", kind: .standard, secret: Fixtures.secret),
        ])
        #expect(config.delivery.timeoutSeconds == 2.5)
        #expect(config.inbound.maxBodyBytes == 4096)
        #expect(config.logLevel == "warning")
        #expect(config.routes == "/srv/routes")
    }

    @Test(arguments: [
        ("SWITCHBOARD_SERVER_PORT", "eighty", #"environment: SWITCHBOARD_SERVER_PORT must be a whole number from 0 to 65535, found "eighty""#),
        ("SWITCHBOARD_SERVER_PORT", "70000", "environment: SWITCHBOARD_SERVER_PORT must be 0 to 65535, found 70000"),
        ("SWITCHBOARD_INBOUND_TOLERANCE_SECONDS", "0", "environment: SWITCHBOARD_INBOUND_TOLERANCE_SECONDS must be at least 1, found 0"),
        ("SWITCHBOARD_DELIVERY_MAX_BACKOFF_SECONDS", "soon", #"environment: SWITCHBOARD_DELIVERY_MAX_BACKOFF_SECONDS must be a number of seconds more than 0, found "soon""#),
        ("SWITCHBOARD_LOG_LEVEL", "loud", #"environment: SWITCHBOARD_LOG_LEVEL must be trace, debug, info, notice, warning, error or critical, found "loud""#),
        ("SWITCHBOARD_SOURCES_WEB_SECRET", "hunter2", "environment: SWITCHBOARD_SOURCES_WEB_SECRET must be a Standard Webhooks secret: whsec_ followed by base64"),
        ("SWITCHBOARD_ADMIN_TOKENS", " , ", "environment: SWITCHBOARD_ADMIN_TOKENS must list at least one token (separate several with commas)"),
    ])
    func badOverrideNamesTheVariable(variable: String, value: String, expected: String) {
        let problems = Fixtures.problems {
            _ = try SwitchboardConfiguration.parse(yaml: Fixtures.config, file: "c.yaml", environment: [variable: value])
        }
        #expect(problems == [expected])
    }

    @Test func problemOfAnOverrideHasNoPosition() throws {
        do {
            _ = try SwitchboardConfiguration.parse(yaml: "", file: "c.yaml", environment: ["SWITCHBOARD_SERVER_PORT": "x"])
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.map(\.file) == ["environment"])
            #expect(error.problems.map(\.line) == [0])
        }
    }

    @Test func secretCanComeOnlyFromTheEnvironment() throws {
        let yaml = "sources:\n  - {name: web}\n"
        let config = try SwitchboardConfiguration.parse(
            yaml: yaml, file: "c.yaml", environment: ["SWITCHBOARD_SOURCES_WEB_SECRET": Fixtures.secret])
        #expect(config.sources.first?.secret == Fixtures.secret)
    }

    @Test func loadReadsTheFileAndTheEnvironment() throws {
        let directory = try TemporaryDirectory()
        try directory.write("switchboard.yaml", Fixtures.config)
        let config = try SwitchboardConfiguration.load(
            path: directory.path + "/switchboard.yaml", environment: ["SWITCHBOARD_SERVER_HOST": "0.0.0.0"])
        #expect(config.server.host == "0.0.0.0")
        #expect(config.adminTokens == ["change-me-admin-token-0123456789"])
    }

    @Test func missingFileIsNamed() {
        #expect(Fixtures.problems { _ = try SwitchboardConfiguration.load(path: "Config/nope.yaml", environment: [:]) } == [
            "Config/nope.yaml: config file not found"
        ])
    }

    @Test func backoffsMustFitTogether() {
        let yaml = "delivery:\n  initial_backoff_seconds: 10\n  max_backoff_seconds: 5\n"
        #expect(Fixtures.problems { _ = try SwitchboardConfiguration.parse(yaml: yaml, file: "c.yaml") } == [
            "c.yaml:3:24: delivery.max_backoff_seconds (5) must be at least delivery.initial_backoff_seconds (10)"
        ])
    }

    @Test func variableNamesFollowSwiftConfiguration() {
        #expect(ConfigurationDraft.variableName(["inbound", "max_body_bytes"]) == "SWITCHBOARD_INBOUND_MAX_BODY_BYTES")
        #expect(ConfigurationDraft.variableName(["sources", "help-scout", "secret"]) == "SWITCHBOARD_SOURCES_HELP_SCOUT_SECRET")
    }
}
