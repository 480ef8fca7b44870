import SwitchboardCore
import Testing
@testable import SwitchboardConfig

@Suite struct AgentsLoaderTests {
    @Test func exampleFileParses() throws {
        let agents = try AgentsLoader.parse(yaml: Fixtures.agents, file: "Config/agents.yaml")
        #expect(agents.count == 2)
        let ana = agents[0]
        #expect(ana.id == "ana")
        #expect(ana.name == "Ana Lopez")
        #expect(ana.status == .online)
        #expect(ana.skills == ["billing": 4, "general": 3])
        #expect(ana.authority == ["refund_limit": .limit(500), "approve_returns": .permission(true)])
        #expect(ana.capacity == ["chat": 3, "email": 10])
        #expect(ana.desk == Desk(url: "https://desk.example.com/hooks/ana", secret: Fixtures.secret))
    }

    @Test func defaultsApplyToOmittedFields() throws {
        let bo = try AgentsLoader.parse(yaml: Fixtures.agents, file: "Config/agents.yaml")[1]
        #expect(bo == Agent(id: "bo", name: "bo", status: .offline, skills: ["general": 2]))
    }

    @Test func missingFileIsNamed() {
        #expect(Fixtures.problems { _ = try AgentsLoader.load(path: "/nonexistent/agents.yaml") } == [
            "/nonexistent/agents.yaml: agents file not found"
        ])
    }

    @Test func loadsFromDisk() throws {
        let directory = try TemporaryDirectory()
        try directory.write("agents.yaml", Fixtures.agents)
        let agents = try AgentsLoader.load(path: directory.path + "/agents.yaml")
        #expect(agents.map(\.id) == ["ana", "bo"])
    }

    static let hashedToken = DeskTokenSettings.hashed("a-desk-token-0123456789abcdef")

    @Test func deskTokensOfAnAgentAndOfATeamDesk() throws {
        let yaml = """
            agents:
              - {id: ana, skills: {general: 1}, tokens: ["\(Self.hashedToken)", "env:DESK_ANA"]}
              - {id: bo, skills: {general: 1}}
            desks:
              - {id: team, agents: [ana, bo], tokens: ["env:DESK_TEAM"]}
            """
        let file = try AgentsLoader.parseFile(
            yaml: yaml, file: "agents.yaml",
            environment: ["DESK_ANA": "ana-second-token-0123456789", "DESK_TEAM": "team-token-0123456789abcdef"])
        #expect(file.agents.map(\.id) == ["ana", "bo"])
        #expect(file.deskTokens.map(\.id) == ["ana/1", "ana/2", "team/1"])
        #expect(file.deskTokens.map(\.agents) == [["ana"], ["ana"], ["ana", "bo"]])
        #expect(file.deskTokens[0].digest == DeskTokenSettings.digest(token: "a-desk-token-0123456789abcdef"))
        #expect(file.deskTokens[1].digest == DeskTokenSettings.digest(token: "ana-second-token-0123456789"))
        #expect(Self.hashedToken.hasPrefix("sha256:") && Self.hashedToken.count == 71)
    }

    @Test func badDeskTokensAreNamedAtTheirPlace() {
        let yaml = """
            agents:
              - {id: ana, skills: {general: 1}, tokens: ["plain-token-0123456789abcdef", "sha256:abc", "env:MISSING", "env:SHORT"]}
              - {id: bo, skills: {general: 1}, tokens: ["\(Self.hashedToken)"]}
            desks:
              - {id: team, agents: [ana, zed], tokens: ["\(Self.hashedToken)"]}
              - {id: bo, agents: [bo], tokens: []}
            """
        let problems = Fixtures.problems {
            _ = try AgentsLoader.parseFile(yaml: yaml, file: "agents.yaml", environment: ["SHORT": "short"])
        }
        #expect(problems == [
            #"agents.yaml:2:46: agent "ana": token 1 must be sha256:<64 hex digits> (the token's SHA-256, which `switchboard secret --desk` prints below a fresh token) or env:VARIABLE; the token itself is never written in the file"#,
            #"agents.yaml:2:78: agent "ana": token 2 must be sha256: followed by 64 hex digits, found "sha256:abc""#,
            #"agents.yaml:2:92: agent "ana": token 3 names the environment variable MISSING, which is not set"#,
            #"agents.yaml:2:107: agent "ana": token 4: the environment variable SHORT is 5 characters, fewer than 24; `switchboard secret` prints a fresh one"#,
            #"agents.yaml:5:30: desk "team": agents names "zed", which is not an agent of this file"#,
            #"agents.yaml:5:45: this token is the same as desk token bo/1: give each desk its own"#,
            #"agents.yaml:6:10: desk id "bo" is already used by an agent or another desk"#,
        ])
    }

    @Test func demoDeskTokensOnlyOnLoopback() throws {
        let yaml = "agents:\n  - {id: ana, tokens: [\"\(DeskTokenSettings.hashed("demo-desk-token-ana-loopback-only"))\"]}\n"
        #expect(try AgentsLoader.parseFile(yaml: yaml, file: "agents.yaml", serverHost: "127.0.0.1").deskTokens.count == 1)
        let problems = Fixtures.problems {
            _ = try AgentsLoader.parseFile(yaml: yaml, file: "agents.yaml", serverHost: "0.0.0.0")
        }
        #expect(problems == [
            #"agents.yaml:2:24: agent "ana": token ana/1 is a demo value shipped with Switchboard, refused unless server.host is loopback (127.0.0.1), found 0.0.0.0"#
        ])
    }

    @Test func deskURLsAtRefusedAddresses() {
        let yaml = """
            agents:
              - {id: ana, desk: {url: "http://169.254.169.254/latest/meta-data/", secret: "\(Fixtures.secret)"}}
            """
        let problems = Fixtures.problems { _ = try AgentsLoader.parseFile(yaml: yaml, file: "agents.yaml") }
        #expect(problems.count == 1)
        #expect(problems.first?.contains("desk url is refused: 169.254.169.254 is a link-local address") == true, "\(problems)")
    }
}
