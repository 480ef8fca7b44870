import Foundation
import Testing
@testable import StandardWebhooks

@Suite struct Base64Tests {
    /// RFC 4648 §10.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        let bytes = Array(plain.utf8)
        #expect(bytes.withUnsafeBytes { Base64.encode($0) } == encoded)
        #expect(Base64.decode(Array(encoded.utf8)) == bytes)
        let unpadded = encoded.filter { $0 != "=" }
        #expect(Base64.decode(Array(unpadded.utf8)) == bytes)
    }

    @Test func agreesWithFoundationOnEveryByteAndLength() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let expected = Data(bytes).base64EncodedString()
            #expect(bytes.withUnsafeBytes { Base64.encode($0) } == expected)
            #expect(Base64.decode(Array(expected.utf8)) == bytes)
        }
        let all = Array(0...255).map(UInt8.init)
        let text = all.withUnsafeBytes { Base64.encode($0) }
        #expect(text == Data(all).base64EncodedString())
        #expect(Base64.decode(Array(text.utf8)) == all)
    }

    @Test(arguments: ["Z", "Zg=", "Zg===", "Z===", "Zm9v=", "Zm=9v", "Zm9v Yg==", "Zm9v-_", "Zm9vYg==="])
    func rejectsMalformedText(_ text: String) {
        #expect(Base64.decode(Array(text.utf8)) == nil)
    }
}
