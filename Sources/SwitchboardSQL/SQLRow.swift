/// One row of a result, its columns in the order the statement names them.
public struct SQLRow: Sendable {
    public var values: [SQLValue]

    public init(_ values: [SQLValue]) {
        self.values = values
    }

    /// The column at `index`, read as `T`.
    public func decode<T: SQLDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        guard index < values.count else { throw SQLDecodingError(value: .null, type: "column \(index) of \(values.count)") }
        return try T(sqlValue: values[index])
    }

    /// Every column, read in order as the given types.
    public func decode<each Column: SQLDecodable>(_ types: (repeat each Column).Type) throws -> (repeat each Column) {
        var index = 0
        func next<T: SQLDecodable>(_ type: T.Type) throws -> T {
            defer { index += 1 }
            return try decode(index, as: type)
        }
        return (repeat try next((each Column).self))
    }
}
