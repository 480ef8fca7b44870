import Foundation
import SwitchboardConfig
import SwitchboardConnectors
import SwitchboardCore
import SwitchboardHostile

/// One reader of untrusted (or admin-written) text that libFuzzer feeds: what it reads must never
/// crash, hang or take memory without bound, whatever the bytes.
struct FuzzTarget: Sendable {
    let name: String
    let run: @Sendable (_ bytes: [UInt8]) -> Void

    /// Every target, by the name `switchboard-fuzz NAME` takes.
    static let all: [FuzzTarget] =
        OfflineConnectors.all.map { name, connector in
            FuzzTarget(name: name) { bytes in
                _ = try? connector.message(from: bytes, source: name, receivedAt: Date(timeIntervalSince1970: 1_800_000_000))
            }
        } + [
            FuzzTarget(name: "mime") { bytes in _ = MailMessage(parsing: bytes) },
            FuzzTarget(name: "form") { bytes in _ = try? FormBody(parsing: bytes) },
            FuzzTarget(name: "expression") { bytes in _ = try? Expression.parse(String(decoding: bytes, as: UTF8.self)) },
            FuzzTarget(name: "routes-yaml") { bytes in
                _ = try? RoutesLoader.parse(yaml: String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
            },
            FuzzTarget(name: "agents-yaml") { bytes in
                _ = try? AgentsLoader.parse(yaml: String(decoding: bytes, as: UTF8.self), file: "agents.yaml")
            },
            FuzzTarget(name: "config-yaml") { bytes in
                _ = try? SwitchboardConfiguration.parse(yaml: String(decoding: bytes, as: UTF8.self), file: "switchboard.yaml")
            },
        ]
}
