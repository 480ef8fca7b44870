import Testing

@testable import SwitchboardCore

@Suite("Identities")
struct IdentityTests {
    @Test(
        "phone numbers are kept in E.164, however they are written",
        arguments: [
            ("+1 (415) 555-0100", "+14155550100"), ("+44 20 7123 4567", "+442071234567"), ("0044 20 7123 4567", "+442071234567"),
            ("+49.30.1234567", "+49301234567"),
        ])
    func phones(_ written: String, _ normalised: String) {
        #expect(Identity.phone(written) == Identity(kind: .phone, value: normalised))
    }

    @Test("a number without a country, too short or with letters is not a phone identity", arguments: ["415 555 0100", "+123", "+1 415 CALL NOW", "+0 415 555 0100", ""])
    func notPhones(_ written: String) {
        #expect(Identity.phone(written) == nil)
    }

    @Test("emails compare without case; identities read back from their written form")
    func emailsAndParsing() {
        #expect(Identity.email(" Ana.Ruiz@Example.COM ") == Identity(kind: .email, value: "ana.ruiz@example.com"))
        #expect(Identity.email("not an email") == nil)
        #expect(Identity(parsing: "email:ANA@example.com") == Identity(kind: .email, value: "ana@example.com"))
        #expect(Identity(parsing: "phone:+1 415 555 0100") == Identity(kind: .phone, value: "+14155550100"))
        #expect(Identity(parsing: "source_user:web:u-42") == Identity(kind: .sourceUser, value: "web:u-42"))
        #expect(Identity(parsing: "source_user:web:u-42")?.source == "web")
        // Separators are found among Unicode scalars: a combining mark after an "@" or a ":" does not hide it.
        #expect(Identity(parsing: "email:ana@\u{301}example.com")?.kind == .email)
        #expect(Identity(parsing: "email:\u{301}ana@example.com")?.kind == .email)
        #expect(Identity(parsing: "source_user:web:\u{301}u-42")?.source == "web")
        for bad in ["fax:123", "source_user:u-42", "source_user::x", "email", "phone:123"] {
            #expect(Identity(parsing: bad) == nil, "\(bad)")
        }
        let info = CustomerInfo(externalId: "u-1", email: "A@B.co", phone: "0415")
        #expect(info.identities(source: "web").map(\.description) == ["source_user:web:u-1", "email:a@b.co"])
    }
}
