import Foundation

extension DayReport {
    /// The report as JSON with snake_case keys, sorted, so that two runs compare byte for byte.
    public static func json(_ report: DayReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(report)
    }
}
