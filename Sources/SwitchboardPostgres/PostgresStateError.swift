/// The database contradicts itself: a row the transaction relies on is missing (SQLite's store
/// throws a `DatabaseError` with a message in the same places).
public struct PostgresStateError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
