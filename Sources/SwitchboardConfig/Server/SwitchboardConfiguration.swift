import Foundation

/// The server's configuration (`Config/switchboard.yaml`), with environment overrides applied.
///
/// ```yaml
/// server: {host: 127.0.0.1, port: 8080}
/// storage: {sqlite: .switchboard/switchboard.db}
/// routes: Routes                  # a directory of routing tables
/// agents: Config/agents.yaml
/// admin_tokens: ["change-me-admin-token"]
/// viewer_tokens: ["change-me-viewer-token"]
/// routes_reload_seconds: 2
/// routing: {match_text_bytes: 65536}  # how much of a message facts and `matches` read
/// sources:
///   - {name: web, kind: standard, secret: "whsec_..."}
/// inbound: {max_body_bytes: 1048576, tolerance_seconds: 300}
/// delivery: {timeout_seconds: 10, initial_backoff_seconds: 1, max_backoff_seconds: 300}
/// memory: {history_entries: 20, history_characters: 500, follow_up_wait_seconds: 300}
/// instances: {lease_seconds: 60}
/// admin: {session_seconds: 28800, scenario: Config/scenarios/retail-day.yaml}  # sign-in length; the day it simulates
/// log_level: info
/// ```
///
/// Every key can be overridden by an environment variable: `SWITCHBOARD_` and the key's path in
/// upper case, e.g. `SWITCHBOARD_SERVER_PORT`, `SWITCHBOARD_ADMIN_TOKENS` (comma-separated) or
/// `SWITCHBOARD_SOURCES_WEB_SECRET` for the secret of source `web`.
public struct SwitchboardConfiguration: Sendable, Equatable {
    /// The log levels `log_level` accepts, as swift-log names them.
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Where the HTTP server listens (`server: {host, port}`).
    public var server = ServerSettings()
    /// Where data is stored (`storage: {sqlite}`).
    public var storage = StorageSettings()
    /// The directory of routing tables, relative to the working directory.
    public var routes: String = "Routes"
    /// The agents file, relative to the working directory.
    public var agents: String = "Config/agents.yaml"
    /// The platforms allowed to send webhooks.
    public var sources: [SourceSettings] = []
    /// Bearer tokens that may read and change everything (key `admin_tokens`).
    public var adminTokens: [String] = []
    /// Bearer tokens that may only read: GET requests, simulations and replays (key `viewer_tokens`).
    public var viewerTokens: [String] = []
    /// How often the routes directory is looked at for a changed table (key `routes_reload_seconds`).
    public var routesReloadSeconds: Double = 2
    /// How routing tables read messages (`routing: {match_text_bytes}`).
    public var routing = RoutingSettings()
    /// Limits on inbound webhooks (`inbound: {max_body_bytes, tolerance_seconds}`).
    public var inbound = InboundSettings()
    /// Timeouts and retries of deliveries to desks (`delivery: {timeout_seconds, …}`).
    public var delivery = DeliverySettings()
    /// How much customer history a handoff carries, and how long a promise's follow-up waits for the
    /// agent who made it (`memory: {history_entries, …}`).
    public var memory = MemorySettings()
    /// The /admin page's sign-in sessions and its day simulation (`admin: {session_seconds, scenario}`).
    public var admin = AdminSettings()
    /// Leases on shared work, with several instances on one PostgreSQL database (`instances: {lease_seconds}`).
    public var instances = InstancesSettings()
    /// Where outbound connections may go (`outbound: {allow_private}`).
    public var outbound = OutboundSettings()
    /// How failed authentication is throttled (`auth: {max_failures, window_seconds}`).
    public var auth = AuthSettings()
    /// One of ``logLevels`` (key `log_level`).
    public var logLevel: String = "info"

    /// The defaults, as if the file were empty.
    public init() {}

    /// Reads the YAML file at `path`, then applies environment overrides.
    ///
    /// Paths inside stay as written (relative to the working directory).
    /// - Throws: every problem of the file and of the overrides; a missing file is a problem naming it.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigErrors) -> SwitchboardConfiguration {
        switch ConfigFile.read(path, what: "config file") {
        case .success(let text): return try parse(yaml: text, file: path, environment: environment)
        case .failure(let problem): throw ConfigErrors(problem)
        }
    }

    /// Reads a configuration from YAML text, then applies overrides from `environment`.
    /// - Parameter file: how problems name the file, e.g. `Config/switchboard.yaml`.
    /// - Throws: every problem found; a bad override is reported with file `environment`, naming the variable.
    public static func parse(
        yaml: String, file: String, environment: [String: String] = [:]
    ) throws(ConfigErrors) -> SwitchboardConfiguration {
        let reader = YAMLReader(file: file, source: yaml)
        var draft = ConfigurationDraft()
        draft.read(reader.root(), reader)
        let environmentProblems = draft.applyEnvironment(environment)
        let checks = draft.validate(file: file)
        let inFile = (reader.problems + checks.filter { $0.file == file }).sortedByPosition()
        let problems = inFile + environmentProblems + checks.filter { $0.file != file }
        guard problems.isEmpty else { throw ConfigErrors(problems: problems) }
        return draft.configuration
    }
}
