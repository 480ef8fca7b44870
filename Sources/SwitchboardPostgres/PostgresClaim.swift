import Foundation

/// How one instance takes a delivery or a write-back for itself while it sends it.
///
/// Every instance runs the delivery and write-back services. Taking due rows is a claim: one statement
/// locks them (`FOR UPDATE SKIP LOCKED`, so instances claiming at the same moment pass over each other's
/// rows instead of waiting) and writes the claiming instance and the end of the claim into them. Until
/// the claim ends, no other instance takes the row; the claimer itself may take it again, which keeps a
/// single instance's behaviour the SQLite store's. Settling the row (sent, retry scheduled, ended) lifts
/// the claim. An instance that dies holding claims delays their rows by at most its claim time
/// (``PostgresStore/claimSeconds``, `instances.lease_seconds`, 60 s by default: well over one
/// attempt's time, a delivery's POST timing out after 10 s by default).
extension PostgresStore {
    /// This process's instance name: its host, its process id and a random part, so that a restarted
    /// process (which may get the same id, as in a container) is a new instance.
    public static let processInstance: String = {
        let random = UUID().uuidString.prefix(8).lowercased()
        return "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(random)"
    }()
}
