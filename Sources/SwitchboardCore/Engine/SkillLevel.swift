/// A skill held at a level, by interned skill id.
struct SkillLevel: Sendable, Hashable {
    var skill: Int
    var level: Int
}
