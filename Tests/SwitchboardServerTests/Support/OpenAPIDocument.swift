import Foundation

/// The OpenAPI document as the repository keeps it, read the way the tests compare it with the server.
struct OpenAPIDocument {
    static let url = SchemaValidator.packageRoot.appendingPathComponent("Sources/SwitchboardServer/Resources/openapi.json")
    static let checker = SchemaValidator.packageRoot.appendingPathComponent("Tests/schema/check_openapi.py")

    let bytes: [UInt8]
    let json: [String: Any]

    init() throws {
        bytes = Array(try Data(contentsOf: Self.url))
        guard let json = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw TestFailure("\(Self.url.path) is not a JSON object")
        }
        self.json = json
    }

    /// Every operation, written as Hummingbird describes a route: `GET /v1/agents`, `PUT /v1/agents/{id}`.
    var operations: Set<String> {
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        var found: Set<String> = []
        for (path, item) in json["paths"] as? [String: Any] ?? [:] {
            for method in (item as? [String: Any] ?? [:]).keys where methods.contains(method) {
                found.insert("\(method.uppercased()) \(path)")
            }
        }
        return found
    }

    /// What `Tests/schema/check_openapi.py` says of a document: valid OpenAPI 3.1 (status 0) or not (1).
    static func check(_ bytes: [UInt8]) async throws -> ChildProcess.Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("openapi.json")
        try Data(bytes).write(to: file)
        let result = try await ChildProcess.run(try SchemaValidator.python(), [checker.path, file.path], in: directory)
        guard result.exitedNormally, result.status == 0 || result.status == 1 else {
            throw TestFailure("check_openapi.py could not run (status \(result.status)): \(result.output)")
        }
        return result
    }
}
