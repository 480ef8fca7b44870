import Foundation

/// Validates JSON documents against docs/handoff.schema.json with Python's jsonschema, through
/// Tests/schema/validate.py. The interpreter is `SWITCHBOARD_TEST_PYTHON` (`make test` sets it to
/// its venv), else `.venv-test/bin/python3` in the package; a missing one fails the test, never skips it.
enum SchemaValidator {
    /// What the validator said: exit status 0 when every document is valid, 1 when one is not.
    struct Verdict {
        var status: Int32
        var output: String
        var isValid: Bool { status == 0 }
    }

    /// The package's root: this file is Tests/SwitchboardServerTests/Support/SchemaValidator.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schema = packageRoot.appendingPathComponent("docs/handoff.schema.json")
    static let script = packageRoot.appendingPathComponent("Tests/schema/validate.py")

    /// The Python that has jsonschema, or a failure that says how to get one.
    static func python() throws -> URL {
        let environment = ProcessInfo.processInfo.environment["SWITCHBOARD_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
        let python = URL(fileURLWithPath: environment ?? packageRoot.appendingPathComponent(".venv-test/bin/python3").path)
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw TestFailure(
                "no Python for the schema tests at \(python.path)"
                    + (environment == nil ? " (SWITCHBOARD_TEST_PYTHON is not set)" : " (from SWITCHBOARD_TEST_PYTHON)")
                    + "; run `make test-env` (or `make test`) to create the venv with jsonschema")
        }
        return python
    }

    /// Writes each document to a temporary file named after it and validates them all in one run,
    /// without blocking a thread of the concurrency pool while Python works.
    /// Throws when the validator cannot judge (no jsonschema, an invalid schema): exit status 2.
    static func validate(_ documents: [(name: String, body: [UInt8])]) async throws -> Verdict {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for document in documents {
            let file = directory.appendingPathComponent("\(document.name).json")
            try Data(document.body).write(to: file)
            files.append(file.path)
        }
        let result = try await ChildProcess.run(try python(), [script.path, schema.path] + files, in: directory)
        guard result.exitedNormally, result.status == 0 || result.status == 1 else {
            throw TestFailure("the schema validator could not run (status \(result.status)): \(result.output)")
        }
        return Verdict(status: result.status, output: result.output)
    }
}
