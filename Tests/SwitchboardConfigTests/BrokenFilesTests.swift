import Testing
@testable import SwitchboardConfig

/// One broken file and every problem it must report, exactly as an admin reads them.
struct BrokenFile: Sendable, CustomTestStringConvertible {
    enum Kind: Sendable { case routes, agents, config }

    let name: String
    let kind: Kind
    let yaml: String
    let expected: [String]

    var testDescription: String { name }

    func problems() -> [String] {
        Fixtures.problems {
            switch kind {
            case .routes: _ = try RoutesLoader.parse(yaml: yaml, file: "Routes/support.yaml")
            case .agents: _ = try AgentsLoader.parse(yaml: yaml, file: "Config/agents.yaml")
            case .config: _ = try SwitchboardConfiguration.parse(yaml: yaml, file: "Config/switchboard.yaml")
            }
        }
    }
}

@Suite struct BrokenFilesTests {
    static let cases: [BrokenFile] = [
        BrokenFile(
            name: "skill level out of range", kind: .routes,
            yaml: """
                routes:
                  - name: refunds
                    require:
                      skills: {billing: 7}
                """,
            expected: [#"Routes/support.yaml:4:25: route "refunds": skill level for billing must be 1 to 5, found 7"#]),
        BrokenFile(
            name: "skill level not a number", kind: .routes,
            yaml: "routes:\n  - {name: r, require: {skills: {billing: high}}}\n",
            expected: [#"Routes/support.yaml:2:43: route "r": skill level for billing must be a whole number from 1 to 5, found "high""#]),
        BrokenFile(
            name: "misspelt fact in a route", kind: .routes,
            yaml: """
                facts:
                  intent: [{when: 'text matches "refund"', value: refund}]
                routes:
                  - {name: refunds, when: 'intnet == "refund"'}
                """,
            expected: [#"Routes/support.yaml:4:28: route "refunds": unknown name "intnet"; did you mean "intent"?"#]),
        BrokenFile(
            name: "fact reads a fact declared below it", kind: .routes,
            yaml: """
                facts:
                  urgent: [{when: 'intent == "upset"', value: true}]
                  intent: [{when: 'text matches "lawyer"', value: upset}]
                routes: [{name: all}]
                """,
            expected: [
                #"Routes/support.yaml:2:20: fact "urgent": unknown name "intent"; fact "intent" is declared later; a fact can read only the facts declared before it"#
            ]),
        BrokenFile(
            name: "expression syntax error", kind: .routes,
            yaml: "routes:\n  - name: r\n    when: 'channel = \"chat\"'\n",
            expected: [#"Routes/support.yaml:3:20: route "r": unknown operator "="; did you mean "=="?"#]),
        BrokenFile(
            name: "unknown key in a route", kind: .routes,
            yaml: "routes:\n  - name: r\n    prio: 3\n",
            expected: [#"Routes/support.yaml:3:5: route "r": unknown key "prio" (expected name, when, require, priority, prefer, prefer_for, offer_timeout, relax)"#]),
        BrokenFile(
            name: "route after a catch-all", kind: .routes,
            yaml: """
                routes:
                  - name: general
                  - name: billing
                    when: 'channel == "email"'
                """,
            expected: [
                #"Routes/support.yaml:3:5: route "billing": can never apply: route "general" (line 2) comes before it and has no when, so it takes every conversation"#
            ]),
        BrokenFile(
            name: "duplicate route name", kind: .routes,
            yaml: "routes:\n  - {name: a, when: 'channel == \"chat\"'}\n  - {name: a}\n",
            expected: [#"Routes/support.yaml:3:12: route "a": another route is already named "a" (line 2)"#]),
        BrokenFile(
            name: "authority false and an undeclared fact", kind: .routes,
            yaml: """
                facts: {amount: {extract: '(\\d+)', as: number}}
                routes:
                  - name: r
                    require: {authority: {approve_returns: false, refund_limit: amont}}
                """,
            expected: [
                #"Routes/support.yaml:4:44: route "r": authority approve_returns must be a fact's name, a number or true, found false (leave it out to require nothing)"#,
                #"Routes/support.yaml:4:65: route "r": authority refund_limit names "amont", which is not a declared fact; did you mean "amount"?"#,
            ]),
        BrokenFile(
            name: "pattern that does not compile and an unknown type", kind: .routes,
            yaml: "facts:\n  amount: {extract: '([0-9]+', as: integer}\nroutes: [{name: r}]\n",
            expected: [
                #"Routes/support.yaml:2:21: fact "amount": extract is not a valid regular expression: expected ')'"#,
                #"Routes/support.yaml:2:36: fact "amount": as must be number or string, found "integer""#,
            ]),
        BrokenFile(
            name: "fact that is neither extracted nor cased", kind: .routes,
            yaml: "facts:\n  tier: gold\nroutes: [{name: r}]\n",
            expected: [
                #"Routes/support.yaml:2:9: fact "tier" must be {extract: PATTERN, as: number|string} or a list of {when: CONDITION, value: VALUE} cases, found "gold""#
            ]),
        BrokenFile(
            name: "no routes", kind: .routes,
            yaml: "facts: {a: {extract: 'x'}}\nroutes: []\n",
            expected: [#"Routes/support.yaml:2:9: routes must list at least one route"#]),
        BrokenFile(
            name: "YAML syntax error", kind: .routes,
            yaml: "routes:\n  - name: r\n   when: x\n",
            expected: [#"Routes/support.yaml:3:4: YAML syntax: did not find expected '-' indicator (while parsing a block collection at line 2, column 3)"#]),
        BrokenFile(
            name: "agent skill, capacity and status", kind: .agents,
            yaml: """
                agents:
                  - id: ana
                    status: busy
                    skills: {billing: 7}
                    capacity: {chat: -1}
                """,
            expected: [
                #"Config/agents.yaml:3:13: agent "ana": status must be online, away or offline, found "busy""#,
                #"Config/agents.yaml:4:23: agent "ana": skill billing has level 7, but levels are 1 to 5"#,
                #"Config/agents.yaml:5:22: agent "ana": capacity for chat is -1, but it cannot be negative"#,
            ]),
        BrokenFile(
            name: "agent desk", kind: .agents,
            yaml: """
                agents:
                  - id: ana
                    desk: {url: "ftp://desk.example.com", secret: "not-a-secret"}
                """,
            expected: [
                #"Config/agents.yaml:3:17: agent "ana": desk url "ftp://desk.example.com" must start with http:// or https://"#,
                #"Config/agents.yaml:3:51: agent "ana": desk secret must be a Standard Webhooks secret: whsec_ followed by base64"#,
            ]),
        BrokenFile(
            name: "duplicate agent id and a missing id", kind: .agents,
            yaml: "agents:\n  - id: ana\n  - id: ana\n  - name: Nobody\n",
            expected: [
                #"Config/agents.yaml:3:5: agent "ana": id is already used by the agent at line 2"#,
                #"Config/agents.yaml:4:5: agent 3 has no id"#,
            ]),
        BrokenFile(
            name: "unknown key in server", kind: .config,
            yaml: "server: {host: 0.0.0.0, prot: 80}\n",
            expected: [#"Config/switchboard.yaml:1:25: unknown key "prot" in server (expected host, port, idle_timeout_seconds, head_timeout_seconds, body_timeout_seconds, max_connections)"#]),
        BrokenFile(
            name: "wrong types", kind: .config,
            yaml: """
                server:
                  port: eighty
                admin_tokens: secret
                delivery: {timeout_seconds: 0}
                log_level: loud
                viewer_tokens: [[nested]]
                routes_reload_seconds: -1
                """,
            expected: [
                #"Config/switchboard.yaml:2:9: server.port must be a whole number from 0 to 65535, found "eighty""#,
                #"Config/switchboard.yaml:3:15: admin_tokens must be a list, found "secret""#,
                #"Config/switchboard.yaml:4:29: delivery.timeout_seconds must be more than 0 seconds, found 0"#,
                #"Config/switchboard.yaml:5:12: log_level must be trace, debug, info, notice, warning, error or critical, found "loud""#,
                #"Config/switchboard.yaml:6:17: each of viewer_tokens must be text, found a list"#,
                #"Config/switchboard.yaml:7:24: routes_reload_seconds must be more than 0 seconds, found -1"#,
            ]),
        BrokenFile(
            name: "bad sources", kind: .config,
            yaml: """
                sources:
                  - {name: Web, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
                  - {name: chat, kind: slack}
                  - {name: mail, secret: "whsec_!!"}
                  - {name: sms, kind: fax, secret: "x"}
                  - {name: tw, kind: twilio, secret: "auth-token"}
                  - {name: inbox, kind: email, username: postmark}
                """,
            expected: [
                #"Config/switchboard.yaml:2:12: source name "Web" must use only lowercase letters, digits, _ and -"#,
                #"Config/switchboard.yaml:3:5: source "chat" has no secret; write it here or set SWITCHBOARD_SOURCES_CHAT_SECRET"#,
                #"Config/switchboard.yaml:4:26: source "mail": secret must be a Standard Webhooks secret: whsec_ followed by base64"#,
                #"Config/switchboard.yaml:5:23: source "sms": kind must be standard, slack, zendesk, intercom, twilio, front, helpscout, email, imap or matrix, found "fax""#,
                #"Config/switchboard.yaml:6:5: source "tw" (kind twilio) needs public_url: the URL Twilio posts to, which it signs"#,
                #"Config/switchboard.yaml:6:38: source "tw": secret is 10 characters, fewer than 24; `switchboard secret` prints a fresh one"#,
                #"Config/switchboard.yaml:7:5: source "inbox": basic auth needs both username and password"#,
            ]),
        BrokenFile(
            name: "empty routing table", kind: .routes, yaml: "# nothing yet\n",
            expected: ["Routes/support.yaml:1:1: the file is empty; a routing table lists facts and routes"]),
        BrokenFile(
            name: "fact case without a value, facts as a list", kind: .routes,
            yaml: """
                facts:
                  intent:
                    - {when: 'text matches "refund"'}
                routes: [{name: r, require: {skils: {billing: 2}}}]
                """,
            expected: [
                #"Routes/support.yaml:3:7: fact "intent": case 1 is missing value"#,
                #"Routes/support.yaml:4:30: route "r": unknown key "skils" in require (expected skills, authority)"#,
            ]),
        BrokenFile(
            name: "agents not a list, unknown top-level key", kind: .agents,
            yaml: "agent:\n  - id: ana\nagents: {id: ana}\n",
            expected: [
                #"Config/agents.yaml:1:1: unknown key "agent" (expected agents, desks)"#,
                #"Config/agents.yaml:3:9: agents must be a list, found a mapping"#,
            ]),
        BrokenFile(
            name: "agent authority as text", kind: .agents,
            yaml: "agents:\n  - {id: ana, authority: {refund_limit: lots}}\n",
            expected: [
                #"Config/agents.yaml:2:41: agent "ana": authority refund_limit must be a number (a limit) or true/false (a permission), found "lots""#
            ]),
    ]

    @Test(arguments: cases)
    func reportsEveryProblemWhereItIs(_ broken: BrokenFile) {
        #expect(broken.problems() == broken.expected)
    }
}
