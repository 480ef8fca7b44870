import Foundation
import Testing
import StandardWebhooks

@Suite struct WebhookSignerTests {
    @Test(arguments: [ReferenceVector.secret, ReferenceVector.unprefixedSecret])
    func signsTheReferenceVector(secret: String) throws {
        let signer = WebhookSigner(secret: try WebhookSecret(secret))
        let signature = signer.signature(
            id: ReferenceVector.id, timestamp: ReferenceVector.timestamp, body: ReferenceVector.body
        )
        #expect(signature == ReferenceVector.signature)
    }

    @Test func headersCarryIdTimestampAndSignature() throws {
        let signer = WebhookSigner(secret: try ReferenceVector.webhookSecret())
        let headers = signer.headers(
            id: ReferenceVector.id, timestamp: ReferenceVector.timestamp, body: ReferenceVector.body
        )
        #expect(headers.map(\.name) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers.map(\.value) == [ReferenceVector.id, "1614265330", ReferenceVector.signature])
    }

    @Test func everyKindOfBodyCollectionSignsTheSameBytes() throws {
        let signer = WebhookSigner(secret: try ReferenceVector.webhookSecret())
        func sign(_ body: some Collection<UInt8>) -> String {
            signer.signature(id: ReferenceVector.id, timestamp: ReferenceVector.timestamp, body: body)
        }
        let text = #"{"test": 2432232314}"#
        #expect(sign(Data(ReferenceVector.body)) == ReferenceVector.signature)
        #expect(sign(text.utf8) == ReferenceVector.signature)
        #expect(sign(ReferenceVector.body[...]) == ReferenceVector.signature)
        // Not contiguous: takes the chunked path.
        #expect(sign(ReferenceVector.body.lazy.map { $0 }) == ReferenceVector.signature)
    }

    /// Expected values from Python's `hmac` over the plain concatenation, for the edges of
    /// how the signed content is assembled: signs, extreme timestamps, empty and long ids.
    @Test(arguments: [
        ("msg_p5jXN8AQM9LWM0D4loKWxJek", 0, "v1,6JNthw4DtDhc3tFxR0yL2tKk3DGy4nWCVnGrycO3mk0="),
        ("msg_p5jXN8AQM9LWM0D4loKWxJek", -42, "v1,to6gwBN3VhFO+uUyVnBpdPpAoOMbVlZogwhSQesebLg="),
        ("", 1_614_265_330, "v1,BbrBopkxy1IaPTmLxhGOIjtynRWNh3UqphKDPFaJ1cU="),
        ("msg_ünïcødé_✓", 1_614_265_330, "v1,hvToK9kWm/GPodsL/E+AJVdvd66eDZxF6RdqEJRC0VE="),
        ("msg_p5jXN8AQM9LWM0D4loKWxJek", Int.max, "v1,YBKQKeh8C5LXnZ8N3e17zRwkCFH/1K1Z5UDcHQt8/YM="),
        ("msg_p5jXN8AQM9LWM0D4loKWxJek", Int.min, "v1,0YQIpNQpzTvKZaL478qrxT10jwb51vn3IEouYqp7HEU="),
        (String(repeating: "m", count: 300), 7, "v1,pP0veofdJWDL3D8tiiohW/eAFUj6BFIDazNKG+buLno="),
    ])
    func signedContentIsIdDotTimestampDotBody(id: String, timestamp: Int, expected: String) throws {
        let signer = WebhookSigner(secret: try ReferenceVector.webhookSecret())
        #expect(signer.signature(id: id, timestamp: timestamp, body: ReferenceVector.body) == expected)
    }

    /// Bodies longer than the 4 KiB chunk, contiguous or not, and the empty body.
    @Test(arguments: [0, 1, 4095, 4096, 4097, 10_000])
    func contiguousAndChunkedBodiesAgree(length: Int) throws {
        let signer = WebhookSigner(secret: WebhookSecret.generate())
        let body = (0..<length).map { UInt8(truncatingIfNeeded: $0) }
        let contiguous = signer.signature(id: "msg_1", timestamp: 1, body: body)
        let chunked = signer.signature(id: "msg_1", timestamp: 1, body: body.lazy.map { $0 })
        #expect(contiguous == chunked)
        #expect(contiguous.hasPrefix("v1,"))
        #expect(Data(base64Encoded: String(contiguous.dropFirst(3)))?.count == 32)
    }

    @Test func signatureDependsOnEveryInput() throws {
        let signer = WebhookSigner(secret: try ReferenceVector.webhookSecret())
        let other = WebhookSigner(secret: WebhookSecret.generate())
        let id = ReferenceVector.id, timestamp = ReferenceVector.timestamp, body = ReferenceVector.body
        let reference = signer.signature(id: id, timestamp: timestamp, body: body)
        #expect(signer.signature(id: id + "x", timestamp: timestamp, body: body) != reference)
        #expect(signer.signature(id: id, timestamp: timestamp + 1, body: body) != reference)
        #expect(signer.signature(id: id, timestamp: timestamp, body: body + [0x20]) != reference)
        #expect(other.signature(id: id, timestamp: timestamp, body: body) != reference)
    }
}
