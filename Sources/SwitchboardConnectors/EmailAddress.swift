import Foundation
import SwitchboardCore

/// Whether a platform's handle is an email address, before it becomes an `email` identity.
///
/// `Identity.email` accepts anything with an `@` and no space, which would take a social handle
/// (`@ana_ruiz`) for an address; a handle here needs a local part and a dotted domain as well.
enum EmailAddress {
    static func isAddress(_ text: String) -> Bool {
        guard Identity.email(text) != nil else { return false }
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let domain = parts[1]
        return domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".")
    }
}
