import SwitchboardCore

/// What the agents file declares: the agents, and the tokens their desks work with.
public struct AgentsFile: Sendable, Equatable {
    public var agents: [Agent]
    public var deskTokens: [DeskTokenSettings]

    public init(agents: [Agent], deskTokens: [DeskTokenSettings] = []) {
        self.agents = agents
        self.deskTokens = deskTokens
    }
}
