import Foundation
import SwitchboardCore

extension Signature {
    /// Checks a signed RFC 3339 timestamp header (Zendesk's `2021-03-25T05:09:27Z`) against the
    /// clock; a Unix time in seconds is read too.
    public static func checkRFC3339Timestamp(
        _ value: String?, header: String, now: Date, tolerance: Duration
    ) throws(ConnectorRejection) {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            throw .unauthenticated("missing \(header) header")
        }
        guard let instant = Timestamp.parse(value) ?? Double(value).map(Date.init(timeIntervalSince1970:)) else {
            throw .unauthenticated("\(header) is not an ISO 8601 date-time")
        }
        guard abs(now.timeIntervalSince(instant)) <= Double(tolerance.components.seconds) else {
            throw .timestampOutsideTolerance
        }
    }
}
