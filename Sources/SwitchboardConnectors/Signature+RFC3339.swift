import Foundation
import SwitchboardCore

extension Signature {
    /// Checks a signed RFC 3339 timestamp header (Zendesk's `2021-03-25T05:09:27Z`) against the
    /// clock; a Unix time in seconds is read too.
    public static func checkRFC3339Timestamp(
        _ value: String?, header: String, now: Date, tolerance: Duration
    ) throws(ConnectorRejection) {
        try checkInstant(value, header: header, written: "an ISO 8601 date-time", now: now, tolerance: tolerance) { text in
            Timestamp.parse(text) ?? Double(text).map(Date.init(timeIntervalSince1970:))
        }
    }
}
