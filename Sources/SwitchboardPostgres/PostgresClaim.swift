import Foundation
import SwitchboardSQL

/// Deliveries and write-backs are claimed by one instance at a time (``SQLClaimant``): this one, by its name.
extension PostgresStore {
    /// This process's instance name: its host, its process id and a random part, so that a restarted
    /// process (which may get the same id, as in a container) is a new instance.
    public static let processInstance: String = {
        let random = UUID().uuidString.prefix(8).lowercased()
        return "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(random)"
    }()

    public var claimant: SQLClaimant? { SQLClaimant(instance: instance, seconds: claimSeconds) }
}
