/// A store operation the PostgreSQL store cannot do.
public enum PostgresStoreError: Error, CustomStringConvertible {
    case notImplemented(String)

    public var description: String {
        switch self {
        case .notImplemented(let name): "the PostgreSQL store does not implement \(name) yet"
        }
    }
}
