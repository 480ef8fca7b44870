import Foundation
import SwitchboardConnectors
import SwitchboardCore

extension ParserWorkload {
    /// Each JSON connector's payload decoding, on the body it stores (what the router reads again).
    static let jsonPayloads: [ParserWorkload] = OfflineConnectors.all.filter { $0.name != "twilio" }.map { name, connector in
        ParserWorkload(
            name: "json: \(name)",
            benign: Input("a long text") { bytes in .repeating("x", toFill: bytes - 2, after: "{\"text\": \"") + Array("\"}".utf8) },
            adversarial: [
                Input("deep nesting") { bytes in
                    let depth = (bytes - 10) / 2
                    return Array("{\"a\":".utf8) + [UInt8](repeating: UInt8(ascii: "["), count: depth)
                        + [UInt8](repeating: UInt8(ascii: "]"), count: depth) + Array("}".utf8)
                },
                Input("many keys") { bytes in .repeatingNumbered("\"k", "\":1,", toFill: bytes - 8).wrappedAsObject },
                Input("escapes") { bytes in .repeating("\\u00e9", toFill: bytes - 2, after: "{\"text\": \"") + Array("\"}".utf8) },
                Input("a long number") { bytes in .repeating("1", toFill: bytes - 1, after: "{\"id\": ") + Array("}".utf8) },
            ],
            run: { body in _ = try? connector.message(from: body, source: name, receivedAt: now) })
    }
}

extension Array where Element == UInt8 {
    /// `"k0":1,"k1":1,…` as an object: `{…"end":0}`.
    fileprivate var wrappedAsObject: [UInt8] { Array("{".utf8) + self + Array("\"end\":0}".utf8) }
}
