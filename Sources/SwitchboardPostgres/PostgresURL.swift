import Foundation
import Logging
import NIOSSL
import PostgresNIO
import SwitchboardStore

/// `postgres://user:password@host:port/database?sslmode=…`, read once: the pool's configuration, and a
/// single connection for start-up.
struct PostgresURL: Sendable {
    enum TLSMode: String, Sendable { case disable, prefer, require }

    let host: String
    let port: Int
    let user: String
    let password: String?
    let database: String
    let tls: TLSMode

    /// - Throws: ``StoreError/configuration(_:)`` naming what is missing or wrong.
    init(_ url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw StoreError.configuration("storage.postgres must be a URL like postgres://user:password@host:5432/db")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError.configuration("storage.postgres names no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw StoreError.configuration("storage.postgres names no user")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw StoreError.configuration("storage.postgres names no database") }
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        switch mode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer
        case "require", "verify-ca", "verify-full": tls = .require
        default: throw StoreError.configuration("storage.postgres sslmode must be disable, prefer or require, found \(mode)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user
        self.password = components.password
        self.database = database
    }

    /// `host:port/database`, without the credentials: for messages.
    var summary: String { "\(host):\(port)/\(database)" }

    /// A pool of at most `maximumConnections`.
    func clientConfiguration(maximumConnections: Int) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch self.tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.minimumConnections = 0
        configuration.options.maximumConnections = maximumConnections
        return configuration
    }

    /// One connection, outside the pool.
    /// - Throws: ``StoreError/configuration(_:)`` naming the server and why it could not be used.
    func connect(logger: Logger) async throws -> PostgresConnection {
        do {
            let tls: PostgresConnection.Configuration.TLS =
                switch self.tls {
                case .disable: .disable
                case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
            let configuration = PostgresConnection.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: tls)
            return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            throw StoreError.configuration(
                "cannot use PostgreSQL at \(summary) (storage.postgres): \(Self.reason(error))")
        }
    }

    /// What went wrong, in the server's or the socket's words; never the password.
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
