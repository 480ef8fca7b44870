extension YAMLReader {
    /// The longest duration accepted: a year. Anything longer is a slip (`30000h` for `30s`), and the
    /// engine counts waits in whole seconds.
    static let longestDuration = 365 * 24 * 3600.0

    /// The node as a number of seconds: `30s`, `2m`, `1m30s`, `1h`, `500ms` (``DurationParser``), or a
    /// bare number of seconds.
    ///
    /// Records `offer_timeout must be a duration like 30s or 2m, found "thirty"` (with the reason when
    /// it is a missing or unknown unit), `must not be negative`, `must be more than 0 seconds` or
    /// `must be at most a year (8760h)`.
    /// - Parameter allowZero: whether 0 is accepted; otherwise the duration must be more than 0.
    func duration(_ node: YAMLNode, _ what: String, allowZero: Bool = false) -> Double? {
        let expected = "\(what) must be a duration like 30s or 2m, found \(node.found)"
        guard node.scalar != nil, node.tagName == .int || node.tagName == .float || node.tagName == .str else {
            report(expected, at: node)
            return nil
        }
        var seconds: Double
        if node.tagName == .str {
            do {
                seconds = try DurationParser.seconds(node.text ?? "")
            } catch {
                report(message(for: error, what: what, expected: expected, found: node.found), at: node)
                return nil
            }
        } else {
            // YAML 1.1 reads `1:30` as the sexagesimal 90; whether that meant 1m30s or 1h30m is anyone's guess.
            guard let value = node.node.float, value.isFinite, node.text?.contains(":") == false else {
                report(expected, at: node)
                return nil
            }
            seconds = value
            if seconds < 0 {
                report("\(what) must not be negative, found \(node.found)", at: node)
                return nil
            }
        }
        seconds = seconds == 0 ? 0 : seconds  // -0 reads as 0
        if seconds == 0, !allowZero {
            report("\(what) must be more than 0 seconds, found \(node.found)", at: node)
            return nil
        }
        if seconds > Self.longestDuration {
            let hours = Int(Self.longestDuration / 3600)
            report("\(what) must be at most a year (\(hours)h), found \(node.found)", at: node)
            return nil
        }
        return seconds
    }

    /// The message for a text that ``DurationParser`` rejects.
    private func message(for problem: DurationParser.Problem, what: String, expected: String, found: String) -> String {
        switch problem {
        case .notADuration:
            return expected
        case .negative:
            return "\(what) must not be negative, found \(found)"
        case .missingUnit(let number):
            return "\(expected) (\(number) has no unit: \(DurationParser.unitNames))"
        case .unknownUnit(let unit):
            return "\(expected) (\"\(unit)\" is not a unit: use \(DurationParser.unitNames))"
        case .unitOrder:
            return "\(expected) (write the units from the largest to the smallest, each once)"
        }
    }
}
