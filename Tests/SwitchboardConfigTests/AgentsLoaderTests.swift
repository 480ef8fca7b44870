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
}
