import Testing

@testable import SwitchboardConfig

/// A source's `write_back` and the agents' `platform_ids`: read, defaulted, and checked with file:line:column.
@Suite("Write-back configuration")
struct WriteBackConfigurationTests {
    /// The sources' signing secrets come from the environment, strong enough, so that each test sees only its own problem.
    static func config(_ sources: String, environment: [String: String] = [:]) throws -> SwitchboardConfiguration {
        let secrets = Dictionary(
            uniqueKeysWithValues: ["ZD", "IC", "FR", "SL"].map { ("SWITCHBOARD_SOURCES_\($0)_SECRET", "platform-signing-secret-0123456789") })
        return try SwitchboardConfiguration.parse(
            yaml: "sources:\n" + sources, file: "c.yaml", environment: secrets.merging(environment) { $1 })
    }

    @Test("the platform defaults to the source's kind, and Intercom's and Front's API URLs to their public ones")
    func kindAndURLDefaults() throws {
        let config = try Self.config(
            """
              - name: zd
                kind: zendesk
                secret: zd-signing
                write_back: {api_url: "https://acme.zendesk.com/", email: ops@acme.com, api_token: zd-token}
              - name: ic
                kind: intercom
                secret: ic-secret
                write_back: {api_token: ic-token, admin_id: "814860"}
              - name: fr
                kind: front
                secret: fr-secret
                write_back: {api_token: fr-token}
              - name: web
                secret: "\(Fixtures.secret)"
            """)
        #expect(
            config.sources.map(\.writeBack) == [
                WriteBackSettings(
                    kind: .zendesk, apiURL: "https://acme.zendesk.com", email: "ops@acme.com", apiToken: "zd-token"),
                WriteBackSettings(
                    kind: .intercom, apiURL: "https://api.intercom.io", apiToken: "ic-token", adminId: "814860"),
                WriteBackSettings(kind: .front, apiURL: "https://api2.frontapp.com", apiToken: "fr-token"),
                nil,
            ])
    }

    @Test("a source of another kind names its platform with write_back kind")
    func explicitKind() throws {
        let config = try Self.config(
            """
              - name: web
                secret: "\(Fixtures.secret)"
                write_back: {kind: front, api_url: "http://127.0.0.1:9000", api_token: t}
            """)
        #expect(
            config.sources.first?.writeBack
                == WriteBackSettings(kind: .front, apiURL: "http://127.0.0.1:9000", apiToken: "t"))
    }

    @Test("the token can come from the environment only, and never shows in a description")
    func tokenFromEnvironment() throws {
        let config = try Self.config(
            """
              - name: zd
                kind: zendesk
                secret: s
                write_back: {api_url: "https://acme.zendesk.com", email: ops@acme.com}
            """, environment: ["SWITCHBOARD_SOURCES_ZD_WRITE_BACK_API_TOKEN": "from-env"])
        let writeBack = try #require(config.sources.first?.writeBack)
        #expect(writeBack.apiToken == "from-env")
        #expect("\(writeBack)" == "zendesk at https://acme.zendesk.com")
        #expect(
            ConfigurationDraft.variableName(["sources", "zd", "write_back", "api_token"])
                == "SWITCHBOARD_SOURCES_ZD_WRITE_BACK_API_TOKEN")
    }

    @Test(
        "problems name file:line:column",
        arguments: [
            (
                "  - {name: web, secret: \"\(Fixtures.secret)\", write_back: {api_url: \"https://x.io\", api_token: t}}",
                #"c.yaml:2:79: source "web": write_back: kind standard has no write-back; set write_back kind to zendesk, intercom or front when this source's conversations live on that platform"#
            ),
            (
                "  - {name: sl,  secret: s, kind: slack, write_back: {kind: helpscout, api_token: t}}",
                #"c.yaml:2:60: source "sl": write_back kind must be zendesk, intercom or front, found "helpscout""#
            ),
            (
                "  - {name: zd, kind: zendesk, secret: s, write_back: {api_url: \"acme.zendesk.com\", email: a@b.c, api_token: t}}",
                #"c.yaml:2:64: source "zd": write_back api_url must be an http(s) URL, found "acme.zendesk.com""#
            ),
            (
                "  - {name: zd, kind: zendesk, secret: s, write_back: {api_url: \"\", email: a@b.c, api_token: t}}",
                #"c.yaml:2:64: source "zd": write_back api_url must not be empty"#
            ),
            (
                "  - {name: zd, kind: zendesk, secret: s, write_back: {email: a@b.c, api_token: t}}",
                #"c.yaml:2:54: source "zd": write_back (zendesk) is missing api_url, e.g. https://acme.zendesk.com"#
            ),
            (
                "  - {name: zd, kind: zendesk, secret: s, write_back: {api_url: \"https://acme.zendesk.com\", api_token: t}}",
                #"c.yaml:2:54: source "zd": write_back (zendesk) is missing email: the user the API token belongs to"#
            ),
            (
                "  - {name: ic, kind: intercom, secret: s, write_back: {email: a@b.c, api_token: t}}",
                #"c.yaml:2:56: source "ic": write_back email is only for zendesk, not intercom"#
            ),
            (
                "  - {name: fr, kind: front, secret: s, write_back: {admin_id: \"1\", api_token: t}}",
                #"c.yaml:2:53: source "fr": write_back admin_id is only for intercom, not front"#
            ),
            (
                "  - {name: fr, kind: front, secret: s, write_back: {api_token: t, region: eu}}",
                #"c.yaml:2:67: source "fr": unknown key "region" in write_back (expected kind, api_url, email, api_token, admin_id)"#
            ),
            (
                "  - {name: fr, kind: front, secret: s, write_back: }",
                #"c.yaml:2:52: source "fr": write_back must be a mapping with api_url and credentials, found nothing"#
            ),
            (
                "  - {name: fr, kind: front, secret: s, write_back: {api_url: \"https://api2.frontapp.com\"}}",
                #"c.yaml:2:52: source "fr": write_back has no api_token; write it here or set SWITCHBOARD_SOURCES_FR_WRITE_BACK_API_TOKEN"#
            ),
        ])
    func problems(yaml: String, expected: String) {
        #expect(Fixtures.problems { _ = try Self.config(yaml) } == [expected])
    }

    // MARK: platform_ids

    static let sources = [
        SourceSettings(
            name: "zd", kind: .zendesk, secret: "s",
            writeBack: WriteBackSettings(kind: .zendesk, apiURL: "https://a.zendesk.com", email: "e", apiToken: "t")),
        SourceSettings(
            name: "ic", kind: .intercom, secret: "s",
            writeBack: WriteBackSettings(kind: .intercom, apiURL: "https://api.intercom.io", apiToken: "t")),
        SourceSettings(name: "web", kind: .standard, secret: Fixtures.secret),
    ]

    @Test("platform_ids are read as text, numbers included")
    func platformIds() throws {
        let yaml = """
            agents:
              - id: ana
                platform_ids: {zd: 12345, ic: "814860"}
              - id: ben
            """
        let agents = try AgentsLoader.parse(yaml: yaml, file: "agents.yaml", sources: Self.sources)
        #expect(agents.map(\.platformIds) == [["zd": "12345", "ic": "814860"], [:]])
    }

    @Test(
        "platform_ids problems name file:line:column",
        arguments: [
            (
                "{zd: ana@acme.com}",
                #"agents.yaml:3:24: agent "ana": platform id for zd must be a Zendesk user id (a whole number), found "ana@acme.com""#
            ),
            (
                "{web: \"1\"}",
                #"agents.yaml:3:20: agent "ana": platform_ids names "web", which is not a source with write_back (sources with write_back: ic, zd)"#
            ),
            (
                "{ic: [1, 2]}",
                #"agents.yaml:3:24: agent "ana": platform id for ic must be text or a whole number, found a list"#
            ),
            (
                "{ic: \" \"}",
                #"agents.yaml:3:24: agent "ana": platform id for ic must not be empty"#
            ),
            (
                "[zd]",
                #"agents.yaml:3:19: agent "ana": platform_ids must be a mapping (name: value), found a list"#
            ),
        ])
    func platformIdProblems(ids: String, expected: String) {
        let yaml = "agents:\n  - id: ana\n    platform_ids: \(ids)\n"
        #expect(
            Fixtures.problems { _ = try AgentsLoader.parse(yaml: yaml, file: "agents.yaml", sources: Self.sources) }
                == [expected])
    }

    @Test("without the sources, platform_ids are only checked for their shape")
    func platformIdsWithoutSources() throws {
        let yaml = "agents:\n  - {id: ana, platform_ids: {anything: tea_abc, zd: not-a-number}}\n"
        let agents = try AgentsLoader.parse(yaml: yaml, file: "agents.yaml")
        #expect(agents.first?.platformIds == ["anything": "tea_abc", "zd": "not-a-number"])
    }
}
