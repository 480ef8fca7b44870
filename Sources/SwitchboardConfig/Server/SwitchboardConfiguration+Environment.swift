import Configuration

/// Environment overrides, read through swift-configuration: the key `switchboard.server.port`
/// is the variable `SWITCHBOARD_SERVER_PORT`.
///
/// | key | variable |
/// |---|---|
/// | `server.host`, `server.port` | `SWITCHBOARD_SERVER_HOST`, `SWITCHBOARD_SERVER_PORT` |
/// | `storage.sqlite` | `SWITCHBOARD_STORAGE_SQLITE` |
/// | `routes`, `agents` | `SWITCHBOARD_ROUTES`, `SWITCHBOARD_AGENTS` |
/// | `admin_tokens`, `viewer_tokens` | `SWITCHBOARD_ADMIN_TOKENS`, `SWITCHBOARD_VIEWER_TOKENS` (comma-separated) |
/// | `routes_reload_seconds` | `SWITCHBOARD_ROUTES_RELOAD_SECONDS` |
/// | `inbound.max_body_bytes`, `inbound.tolerance_seconds` | `SWITCHBOARD_INBOUND_MAX_BODY_BYTES`, `SWITCHBOARD_INBOUND_TOLERANCE_SECONDS` |
/// | `delivery.timeout_seconds`, … | `SWITCHBOARD_DELIVERY_TIMEOUT_SECONDS`, `SWITCHBOARD_DELIVERY_INITIAL_BACKOFF_SECONDS`, `SWITCHBOARD_DELIVERY_MAX_BACKOFF_SECONDS` |
/// | `admin.session_seconds` | `SWITCHBOARD_ADMIN_SESSION_SECONDS` |
/// | `admin.scenario` | `SWITCHBOARD_ADMIN_SCENARIO` |
/// | `log_level` | `SWITCHBOARD_LOG_LEVEL` |
/// | the secret of source `help-scout` | `SWITCHBOARD_SOURCES_HELP_SCOUT_SECRET` |
/// | the write-back token of source `zd` | `SWITCHBOARD_SOURCES_ZD_WRITE_BACK_API_TOKEN` |
extension ConfigurationDraft {
    /// Applies the overrides found in `environment`; a bad value is a problem naming its variable.
    mutating func applyEnvironment(_ environment: [String: String]) -> [ConfigProblem] {
        let reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
        var problems: [ConfigProblem] = []
        func problem(_ variable: String, _ message: String) {
            problems.append(ConfigProblem(file: "environment", line: 0, column: 0, message: "\(variable) \(message)"))
        }
        for setting in ConfigurationSetting.all {
            let key = Self.key(setting.path)
            let variable = Self.variableName(setting.path)
            guard let raw = reader.string(forKey: key) else { continue }
            switch setting.kind {
            case .text(let path):
                guard !raw.trimmingCharacters(in: .whitespaces).isEmpty else {
                    problem(variable, "must not be empty")
                    continue
                }
                configuration[keyPath: path] = raw
            case .choice(let words, let path):
                guard words.contains(raw) else {
                    problem(variable, "must be \(YAMLReader.list(words, conjunction: "or")), found \"\(raw)\"")
                    continue
                }
                configuration[keyPath: path] = raw
            case .integer(let range, let path):
                guard let number = reader.int(forKey: key) else {
                    problem(variable, "must be \(YAMLReader.wholeNumber(range)), found \"\(raw)\"")
                    continue
                }
                guard range.contains(number) else {
                    problem(variable, "must be \(YAMLReader.describe(range)), found \(number)")
                    continue
                }
                configuration[keyPath: path] = number
            case .seconds(let path):
                guard let seconds = reader.double(forKey: key), seconds.isFinite, seconds > 0 else {
                    problem(variable, "must be a number of seconds more than 0, found \"\(raw)\"")
                    continue
                }
                configuration[keyPath: path] = seconds
            case .flag(let path):
                guard let flag = reader.bool(forKey: key) else {
                    problem(variable, "must be true or false, found \"\(raw)\"")
                    continue
                }
                configuration[keyPath: path] = flag
            }
            origins[setting.name] = .environment(variable)
        }
        for list in ConfigurationSetting.tokenLists {
            guard let tokens = reader.stringArray(forKey: Self.key([list.key]), isSecret: true) else { continue }
            let variable = Self.variableName([list.key])
            let nonEmpty = tokens.filter { !$0.isEmpty }
            if nonEmpty.isEmpty {
                problem(variable, "must list at least one token (separate several with commas)")
            } else {
                configuration[keyPath: list.path] = nonEmpty
                origins[list.key] = .environment(variable)
            }
        }
        for index in configuration.sources.indices {
            for key in ["secret", "password", "token", "api_token", "access_token"] {
                let path = ["sources", configuration.sources[index].name, key]
                guard let value = reader.string(forKey: Self.key(path), isSecret: true) else { continue }
                switch key {
                case "secret": configuration.sources[index].secret = value
                case "password": configuration.sources[index].password = value
                case "token": configuration.sources[index].token = value
                case "access_token": configuration.sources[index].accessToken = value
                default: configuration.sources[index].apiToken = value
                }
                origins[path.joined(separator: ".")] = .environment(Self.variableName(path))
            }
        }
        applyWriteBackEnvironment(reader)
        return problems
    }

    /// The swift-configuration key of a setting: `switchboard.server.port`.
    static func key(_ path: [String]) -> ConfigKey {
        ConfigKey(["switchboard"] + path)
    }

    /// The variable swift-configuration reads for a setting, as its environment provider spells it:
    /// `SWITCHBOARD_` and the path in upper case, anything but letters and digits as `_`.
    static func variableName(_ path: [String]) -> String {
        (["switchboard"] + path)
            .map { component in String(component.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }) }
            .joined(separator: "_")
    }
}
