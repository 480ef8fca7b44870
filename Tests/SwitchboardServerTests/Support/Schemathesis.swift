import Foundation

/// Schemathesis (PyPI, pinned in Tests/schema/requirements.txt) run from the test venv against a live
/// server: it loads the document the server serves at /openapi.json, sends every operation generated
/// requests, valid and invalid, and checks every response against the document with all of its checks.
enum Schemathesis {
    static let hooks = SchemaValidator.packageRoot.appendingPathComponent("Tests/schema/schemathesis_hooks.py")
    /// Test cases per operation and phase: about 20 s on an idle 2-core machine.
    static let maxExamples = 100
    static let seed = 20_261_124

    /// What one run said.
    struct Run {
        /// 0 when every check passed for every case; -1 when schemathesis did not exit by itself.
        var status: Int32
        var output: String
        /// The command line and configuration, to reproduce the run by hand.
        var invocation: String

        /// `Tested: 19` in the summary: how many operations were tested.
        var tested: Int? {
            guard let range = output.range(of: #"Tested: \d+"#, options: .regularExpression) else { return nil }
            return Int(output[range].dropFirst("Tested: ".count))
        }
    }

    /// - Parameter name: the report's name in test-artifacts/schemathesis (`admin.txt`).
    static func run(port: Int, token: String, fixtures: FuzzFixtures, name: String = "report") async throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("schemathesis.toml")
        let text = configuration(fixtures)
        try text.write(to: config, atomically: true, encoding: .utf8)
        let arguments = [
            "-m", "schemathesis.cli", "--config-file", config.path, "run", "http://127.0.0.1:\(port)/openapi.json",
            "--header", "Authorization: Bearer \(token)", "--checks", "all", "--no-color",
            // Schemathesis leaves out the operation that serves the document it loaded; this selects it too.
            "--include-path-regex", "^/",
        ]
        let python = try SchemaValidator.python()
        let result = try await ChildProcess.run(python, arguments, in: directory)
        let invocation = ([python.path] + arguments).joined(separator: " ") + "\nwith \(config.lastPathComponent):\n" + text
        // The whole report, also kept as a file: a test failure's message is cut short when it is long.
        let artifacts = SchemaValidator.packageRoot.appendingPathComponent("test-artifacts/schemathesis")
        try? FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        try? (result.output + "\n" + invocation).write(
            to: artifacts.appendingPathComponent("\(name).txt"), atomically: true, encoding: .utf8)
        return Run(status: result.exitedNormally ? result.status : -1, output: result.output, invocation: invocation)
    }

    /// The run's settings, with the fixtures' ids for path parameters.
    static func configuration(_ fixtures: FuzzFixtures) -> String {
        func list(_ values: [String]) -> String { "[" + values.map(quoted).joined(separator: ", ") + "]" }
        func binding(_ pattern: String, _ parameters: [(String, String)]) -> String {
            let bound = parameters.map { "\(quoted($0.0)) = { dictionary = \(quoted($0.1)), probability = 0.5 }" }
            return "[[operations]]\ninclude-path-regex = \(quoted(pattern))\nparameters = { \(bound.joined(separator: ", ")) }\n"
        }
        return """
            # One run of OpenAPITests, written by Tests/SwitchboardServerTests/Support/Schemathesis.swift.
            # A fixed seed, one worker and no example database: every run sends the same requests.
            seed = \(seed)
            # One worker: Hypothesis describes its strategies with Python 3.11's ast.parse, which is not
            # thread-safe; with two workers runs fail at random ("AST constructor recursion depth mismatch").
            workers = 1
            # Keeps the rules no JSON Schema can state out of the cases the server must accept.
            hooks = \(quoted(hooks.path))

            [generation]
            max-examples = \(maxExamples)
            database = "none"

            # 410 is a customer merged into another one: documented, and a right answer to a valid request.
            [checks.positive_data_acceptance]
            expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "410", "429", "5xx"]

            # Without a session, every page of /admin sends the browser to the sign-in page (303) before it
            # reads anything: the right answer to a request without the cookie, however else it is wrong.
            [[operations]]
            include-path-regex = "^/admin"
            checks = { negative_data_rejection = { expected-statuses = ["303", "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"] } }

            # Whether YAML is a valid routing table is not a JSON Schema matter: a draft with a problem is kept and
            # answered 422 with the problems, for any text the document allows.
            [[operations]]
            include-path = "/v1/routes/draft"
            include-method = "PUT"
            checks = { positive_data_acceptance = { expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"] } }

            # Ids that exist, drawn half the time for the parameters bound below.
            [dictionaries.agents]
            values = \(list(fixtures.agents))
            [dictionaries.conversations]
            values = \(list(fixtures.conversations))
            [dictionaries.handoffs]
            values = \(list(fixtures.handoffs))
            [dictionaries.customers]
            values = \(list(fixtures.customers))
            [dictionaries.identities]
            values = \(list(fixtures.identities))


            """
            + binding("^/v1/agents/", [("path.id", "agents")])
            + binding("^/v1/conversations/", [("path.id", "conversations")])
            + binding("^/v1/handoffs/", [("path.id", "handoffs")])
            + binding("^/v1/customers/", [("path.id", "customers"), ("body.from", "customers")])
            + binding("^/v1/customers$", [("query.identity", "identities")])
    }

    /// A TOML basic string.
    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
