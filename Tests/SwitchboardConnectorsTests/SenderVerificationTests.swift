import Testing

@testable import SwitchboardConnectors

/// What an email's headers say about its sender: a pass counts only for a domain aligned with From:,
/// and only in the topmost field (the one the receiving server wrote).
@Suite("Sender verification")
struct SenderVerificationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var from = "example.com"
        var results: [String] = []
        var spf: [String] = []
        var verified: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "DKIM pass for the From domain",
             results: ["mx.google.com; dkim=pass header.i=@example.com header.s=s1 header.b=abc; spf=neutral"], verified: true),
        Case(name: "DKIM pass for a subdomain (relaxed alignment)",
             results: ["mx.example.net; dkim=pass (2048-bit key) header.d=mail.example.com"], verified: true),
        Case(name: "DKIM pass for another domain",
             results: ["mx.example.net; dkim=pass header.d=attacker.test; spf=fail smtp.mailfrom=example.com"], verified: false),
        Case(name: "SPF pass for the envelope sender's domain",
             results: ["mx.example.net; spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=bounce@example.com"], verified: true),
        Case(name: "DMARC pass",
             results: ["mx.example.net; dmarc=pass (p=reject) header.from=example.com"], verified: true),
        Case(name: "a pass written by the sender below the receiver's own field",
             results: ["mx.example.net; dkim=none; spf=softfail smtp.mailfrom=example.com", "evil; dkim=pass header.d=example.com"],
             verified: false),
        Case(name: "Received-SPF pass",
             spf: ["pass (mx.example.net: domain of a@example.com designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1; envelope-from=\"a@example.com\"; helo=mail.example.com;"],
             verified: true),
        Case(name: "Received-SPF softfail", spf: ["softfail (mx.example.net) client-ip=192.0.2.1; envelope-from=a@example.com;"], verified: false),
        Case(name: "no evidence at all", verified: false),
        Case(name: "a parenthesised pass is a comment",
             results: ["mx.example.net; dkim=fail (was dkim=pass header.d=example.com)"], verified: false),
    ]

    @Test("the topmost fields decide, for a domain aligned with From:", arguments: cases)
    func judge(_ testCase: Case) {
        let verdict = SenderVerification.judge(
            fromDomain: testCase.from, authenticationResults: testCase.results, receivedSPF: testCase.spf)
        #expect(verdict.verified == testCase.verified, "\(verdict.evidence)")
    }
}
