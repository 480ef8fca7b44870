import Testing

@testable import SwitchboardConfig

/// Broken policy keys of routes (priority, prefer, prefer_for, offer_timeout, relax), and every problem
/// each must report, exactly as `switchboard routes check` prints them.
@Suite struct RoutePolicyErrorsTests {
    static let cases: [BrokenFile] = [
        BrokenFile(
            name: "offer_timeout that is not a duration", kind: .routes,
            yaml: "routes:\n  - name: r\n    offer_timeout: thirty\n",
            expected: [
                #"Routes/support.yaml:3:20: route "r": offer_timeout must be a duration like 30s or 2m, found "thirty""#
            ]),
        BrokenFile(
            name: "zero, negative, unitless, unknown units and units out of order", kind: .routes,
            yaml: """
                routes:
                  - name: r
                    require: {skills: {billing: 3}}
                    offer_timeout: 0s
                    prefer_for: -5s
                    relax:
                      - {after: 1m30, skills: {billing: 2}}
                      - {after: 2min, skills: {billing: 1}}
                      - {after: 30s1m, prefer: none}
                """,
            expected: [
                #"Routes/support.yaml:4:20: route "r": offer_timeout must be more than 0 seconds, found "0s""#,
                #"Routes/support.yaml:5:17: route "r": prefer_for must not be negative, found "-5s""#,
                #"Routes/support.yaml:7:17: route "r": relax step 1: after must be a duration like 30s or 2m, found "1m30" (30 has no unit: h, m, s or ms)"#,
                #"Routes/support.yaml:8:17: route "r": relax step 2: after must be a duration like 30s or 2m, found "2min" ("min" is not a unit: use h, m, s or ms)"#,
                #"Routes/support.yaml:9:17: route "r": relax step 3: after must be a duration like 30s or 2m, found "30s1m" (write the units from the largest to the smallest, each once)"#,
            ]),
        BrokenFile(
            name: "duration too long, bare negative number, 1:30, a list", kind: .routes,
            yaml: """
                routes:
                  - name: r
                    when: 'channel == "chat"'
                    offer_timeout: 9000h
                    prefer_for: -5
                  - name: s
                    when: 'channel == "email"'
                    offer_timeout: 1:30
                  - name: t
                    offer_timeout: [30s]
                """,
            expected: [
                #"Routes/support.yaml:4:20: route "r": offer_timeout must be at most a year (8760h), found "9000h""#,
                #"Routes/support.yaml:5:17: route "r": prefer_for must not be negative, found -5"#,
                #"Routes/support.yaml:8:20: route "s": offer_timeout must be a duration like 30s or 2m, found 1:30"#,
                #"Routes/support.yaml:10:20: route "t": offer_timeout must be a duration like 30s or 2m, found a list"#,
            ]),
        BrokenFile(
            name: "priority neither a number nor a mapping", kind: .routes,
            yaml: "routes:\n  - name: vip\n    priority: high\n",
            expected: [
                #"Routes/support.yaml:3:15: route "vip": priority must be a whole number or a mapping with base, when, add or raise, found "high""#
            ]),
        BrokenFile(
            name: "priority out of range, unknown key in priority", kind: .routes,
            yaml: """
                routes:
                  - name: r
                    when: 'channel == "chat"'
                    priority: 5000
                  - name: s
                    priority: {base: 5000, boost: 2}
                """,
            expected: [
                #"Routes/support.yaml:4:15: route "r": priority must be -1000 to 1000, found 5000"#,
                #"Routes/support.yaml:6:22: route "s": priority: base must be -1000 to 1000, found 5000"#,
                #"Routes/support.yaml:6:28: route "s": priority: unknown key "boost" (expected base, when, add, raise)"#,
            ]),
        BrokenFile(
            name: "priority when without add, misspelt fact in the boost", kind: .routes,
            yaml: """
                facts: {amount: {extract: '(\\d+)', as: number}}
                routes:
                  - name: r
                    priority: {base: 1, when: 'amont > 100'}
                """,
            expected: [
                #"Routes/support.yaml:4:15: route "r": priority is missing add"#,
                #"Routes/support.yaml:4:32: route "r": priority: unknown name "amont"; did you mean "amount"?"#,
            ]),
        BrokenFile(
            name: "priority raise list", kind: .routes,
            yaml: """
                routes:
                  - name: r
                    priority:
                      base: 1
                      raise:
                        - {when: 'chanel == "chat"', add: 5}
                        - {when: 'channel == "chat"', add: lots}
                        - {add: 2}
                        - {when: 'channel == "email"', add: 2, then: 3}
                        - 'customer.tier == gold'
                """,
            expected: [
                #"Routes/support.yaml:6:19: route "r": priority raise 1: unknown name "chanel"; did you mean "channel"?"#,
                #"Routes/support.yaml:7:44: route "r": priority raise 2: add must be a whole number from -1000 to 1000, found "lots""#,
                #"Routes/support.yaml:8:11: route "r": priority raise 3 is missing when"#,
                #"Routes/support.yaml:9:48: route "r": priority raise 4: unknown key "then" (expected when, add)"#,
                #"Routes/support.yaml:10:11: route "r": priority raise 5 must be a mapping with when and add, found "customer.tier == gold""#,
            ]),
        BrokenFile(
            name: "priority with both a single boost and raise", kind: .routes,
            yaml: "routes:\n  - name: r\n    priority: {when: 'channel == \"chat\"', add: 1, raise: []}\n",
            expected: [
                #"Routes/support.yaml:3:51: route "r": priority: raise cannot go with when and add; move them into the raise list"#
            ]),
        BrokenFile(
            name: "relax step that mentions authority", kind: .routes,
            yaml: """
                routes:
                  - name: refunds
                    require: {skills: {billing: 3}, authority: {refund_limit: 100}}
                    relax:
                      - {after: 20s, skills: {billing: 2}}
                      - {after: 60s, authority: {refund_limit: 50}}
                """,
            expected: [
                #"Routes/support.yaml:6:22: route "refunds": relax step 2: authority never relaxes; a route's authority requirements hold however long a conversation waits"#
            ]),
        BrokenFile(
            name: "relax skills the route does not require, or not lower", kind: .routes,
            yaml: """
                routes:
                  - name: refunds
                    require: {skills: {billing: 3}}
                    relax:
                      - {after: 20s, skills: {biling: 2}}
                      - {after: 30s, skills: {chat: 1}}
                      - {after: 40s, skills: {billing: 3}}
                      - {after: 50s, skills: {billing: 2}}
                      - {after: 60s, skills: {billing: 2}}
                      - {after: 70s, skills: {billing: none}}
                      - {after: 80s, skills: {billing: 1}}
                """,
            expected: [
                #"Routes/support.yaml:5:31: route "refunds": relax step 1: skill biling is not one the route requires, so it cannot relax; did you mean "billing"?"#,
                #"Routes/support.yaml:6:31: route "refunds": relax step 2: skill chat is not one the route requires, so it cannot relax (the route requires billing)"#,
                #"Routes/support.yaml:7:40: route "refunds": relax step 3: skill level for billing must be none (or 0) to drop it, or a level below 3 (the route requires 3), found 3"#,
                #"Routes/support.yaml:9:40: route "refunds": relax step 5: skill level for billing must be none (or 0) to drop it, or a level below 2 (relax step 4 lowered it to 2), found 2"#,
                #"Routes/support.yaml:11:31: route "refunds": relax step 7: skill billing is already dropped by relax step 6"#,
            ]),
        BrokenFile(
            name: "relax a skill of a route requiring none, or at level 1", kind: .routes,
            yaml: """
                routes:
                  - name: r
                    when: 'channel == "chat"'
                    relax:
                      - {after: 20s, skills: {general: 1}}
                  - name: s
                    require: {skills: {billing: 1}}
                    relax: [{after: 5s, skills: {billing: 1}}]
                """,
            expected: [
                #"Routes/support.yaml:5:31: route "r": relax step 1: skill general is not one the route requires, so it cannot relax (the route requires no skills)"#,
                #"Routes/support.yaml:8:43: route "s": relax step 1: skill level for billing must be none (or 0) to drop it (the route requires 1), found 1"#,
            ]),
        BrokenFile(
            name: "relax after out of order, missing, zero; steps that change nothing", kind: .routes,
            yaml: """
                routes:
                  - name: r
                    require: {skills: {billing: 3}}
                    relax:
                      - {after: 30s, skills: {billing: 2}}
                      - {after: 20s, skills: {billing: 1}}
                      - {after: 30s, prefer: none}
                      - {skills: {billing: none}}
                      - {after: 0s, prefer: none}
                      - {after: 2m}
                      - {after: 3m, prefer: previous_agent}
                      - {after: 4m, skills: {billing: low}}
                      - 20s
                """,
            expected: [
                #"Routes/support.yaml:6:17: route "r": relax step 2: after must be later than step 1's after (30s), found "20s"; list the steps in the order they apply"#,
                #"Routes/support.yaml:7:17: route "r": relax step 3: after must be later than step 1's after (30s), found "30s"; list the steps in the order they apply"#,
                #"Routes/support.yaml:8:9: route "r": relax step 4 is missing after"#,
                #"Routes/support.yaml:9:17: route "r": relax step 5: after must be more than 0 seconds, found "0s""#,
                #"Routes/support.yaml:10:9: route "r": relax step 6 changes nothing; give skills to lower or drop, or prefer: none"#,
                #"Routes/support.yaml:11:29: route "r": relax step 7: prefer can only be none in a relax step (it stops preferring the previous agent), found "previous_agent""#,
                #"Routes/support.yaml:12:39: route "r": relax step 8: skill level for billing must be none (or 0) to drop it, or a level below 2 (relax step 1 lowered it to 2), found "low""#,
                #"Routes/support.yaml:13:9: route "r": relax step 9 must be a mapping with after, skills or prefer, found "20s""#,
            ]),
        BrokenFile(
            name: "prefer_for with prefer none, a preference dropped twice, an unknown prefer", kind: .routes,
            yaml: """
                routes:
                  - name: r
                    when: 'channel == "chat"'
                    prefer: none
                    prefer_for: 10s
                    relax: [{after: 1m, prefer: none}]
                  - name: t
                    when: 'channel == "email"'
                    relax:
                      - {after: 1m, prefer: none}
                      - {after: 2m, prefer: none}
                  - name: s
                    prefer: agent
                """,
            expected: [
                #"Routes/support.yaml:5:5: route "r": prefer_for holds out for the previous agent, so it cannot go with prefer: none; remove one of them"#,
                #"Routes/support.yaml:6:33: route "r": relax step 1: prefer: none changes nothing here; the route has prefer: none"#,
                #"Routes/support.yaml:11:29: route "t": relax step 2: prefer: none changes nothing here; relax step 1 already stopped it"#,
                #"Routes/support.yaml:13:13: route "s": prefer must be previous_agent or none, found "agent""#,
            ]),
        BrokenFile(
            name: "relax not a list, unknown key in a step", kind: .routes,
            yaml: """
                routes:
                  - name: r
                    when: 'channel == "chat"'
                    require: {skills: {billing: 3}}
                    relax: {after: 20s, skills: {billing: 2}}
                  - name: s
                    relax: [{after: 1m, skill: {billing: 2}}]
                """,
            expected: [
                #"Routes/support.yaml:5:12: route "r": relax must be a list, found a mapping"#,
                #"Routes/support.yaml:7:25: route "s": relax step 1: unknown key "skill" (expected after, skills, prefer)"#,
            ]),
        BrokenFile(
            name: "relax of a route whose require is broken checks only the form", kind: .routes,
            yaml: """
                routes:
                  - name: r
                    require: {skills: {billing: 7}}
                    relax: [{after: 1m, skills: {billing: 9}}]
                """,
            expected: [
                #"Routes/support.yaml:3:33: route "r": skill level for billing must be 1 to 5, found 7"#,
                #"Routes/support.yaml:4:43: route "r": relax step 1: skill level for billing must be none (or 0) to drop it, or 1 to 5, found 9"#,
            ]),
    ]

    @Test(arguments: cases)
    func reportsEveryProblemWhereItIs(_ broken: BrokenFile) {
        #expect(broken.problems() == broken.expected)
    }
}
