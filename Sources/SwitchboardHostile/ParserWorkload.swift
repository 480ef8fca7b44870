/// One parser of untrusted input with the inputs that measure it: a benign one of a given size, as a
/// platform sends every day, and adversarial ones of the same size, each built to hit a worst case.
///
/// `switchboard bench parsers` times them at 1 MiB and the tests at 100 KB; a parser is linear when
/// every adversarial input takes about as long as the benign one.
public struct ParserWorkload: Sendable {
    /// One input, built for a size in bytes.
    public struct Input: Sendable {
        /// What the input is, in a few words: `unclosed tags`, `60,000 distinct names`.
        public var label: String
        public var build: @Sendable (_ bytes: Int) -> [UInt8]

        public init(_ label: String, build: @escaping @Sendable (_ bytes: Int) -> [UInt8]) {
            self.label = label
            self.build = build
        }
    }

    /// The parser, as the tables name it: `twilio signature`, `html to text`.
    public var name: String
    public var benign: Input
    public var adversarial: [Input]
    /// Parses one input the way the server does, from the outside: a rejection is a result too.
    public var run: @Sendable (_ input: [UInt8]) -> Void

    public init(
        name: String, benign: Input, adversarial: [Input], run: @escaping @Sendable (_ input: [UInt8]) -> Void
    ) {
        self.name = name
        self.benign = benign
        self.adversarial = adversarial
        self.run = run
    }
}

extension Array where Element == UInt8 {
    /// `unit` repeated until the array holds `bytes` bytes (the last copy cut).
    public static func repeating(_ unit: String, toFill bytes: Int, after head: String = "", before tail: String = "") -> [UInt8] {
        let unitBytes = Array(unit.utf8)
        var out = Array(head.utf8)
        let room = bytes - tail.utf8.count
        out.reserveCapacity(bytes)
        while out.count + unitBytes.count <= room { out += unitBytes }
        return out + Array(tail.utf8)
    }
}
