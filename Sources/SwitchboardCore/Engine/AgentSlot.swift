/// One agent's definition on the board, with their skills interned.
struct AgentSlot: Sendable {
    var agent: Agent
    /// Sorted by skill id.
    var skills: [SkillLevel]
}
