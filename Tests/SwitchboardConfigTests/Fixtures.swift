@testable import SwitchboardConfig

/// The example files of the admin documentation, and helpers shared by the suites.
enum Fixtures {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    static let supportRoutes = #"""
        # Routes/support.yaml
        facts:
          amount: {extract: '\$\s?([0-9]+(?:\.[0-9]+)?)', as: number}   # first capture in the customer's latest message
          intent:
            - {when: 'text matches "(?i)refund|charged twice|money back"', value: refund}
            - {when: 'text matches "(?i)lawyer|ridiculous|unacceptable"', value: upset}
        routes:
          - name: refunds
            when: 'intent == "refund"'
            require:
              skills: {billing: 3}               # minimum proficiency, 1..5
              authority: {refund_limit: amount}  # the agent's refund_limit >= the fact's value
          - name: general
            require: {skills: {general: 1}}
        """#

    static let agents = """
        agents:
          - id: ana
            name: Ana Lopez
            status: online
            skills: {billing: 4, general: 3}
            authority: {refund_limit: 500, approve_returns: true}
            capacity: {chat: 3, email: 10}
            desk: {url: "https://desk.example.com/hooks/ana", secret: "\(secret)"}
          - id: bo
            skills: {general: 2}
        """

    static let config = """
        server: {host: 127.0.0.1, port: 8080}
        storage: {sqlite: .switchboard/switchboard.db}
        routes: Routes                  # a directory of routing tables
        agents: Config/agents.yaml
        admin_tokens: ["change-me-admin-token-0123456789"]
        sources:
          - {name: web, kind: standard, secret: "\(secret)"}
        """

    /// The problems `body` throws, each as `file:line:column: message`; empty when it succeeds.
    static func problems(_ body: () throws -> Void) -> [String] {
        do {
            try body()
            return []
        } catch let errors as ConfigErrors {
            return errors.problems.map(\.description)
        } catch {
            return ["not a ConfigErrors: \(error)"]
        }
    }
}
