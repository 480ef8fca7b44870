import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SwitchboardConfig
import SwitchboardServer

/// `switchboard serve`: the server, until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server.")

    @Option(name: .shortAndLong, help: "The configuration file. Every key can be overridden with SWITCHBOARD_<KEY>.")
    var config = "Config/switchboard.yaml"

    func run() async throws {
        let settings = try loadConfiguration(config)
        var logger = Logger(label: "switchboard")
        logger.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info
        let app = try await failingClearly { try await buildApplication(configuration: settings, logger: logger) }
        try await failingClearly { try await app.runService() }
    }
}

/// Loads the configuration, or exits with its problems, one `file:line:column: message` per line.
func loadConfiguration(_ path: String) throws -> SwitchboardConfiguration {
    try failingClearly { try SwitchboardConfiguration.load(path: path) }
}

/// Runs `body`; configuration problems are printed as they are and end the process with status 1.
func failingClearly<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let errors as ConfigErrors {
        FileHandle.standardError.write(Data("switchboard: cannot start:\n\(errors.description)\n".utf8))
        throw ExitCode(1)
    }
}

func failingClearly<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let errors as ConfigErrors {
        FileHandle.standardError.write(Data("switchboard: cannot start:\n\(errors.description)\n".utf8))
        throw ExitCode(1)
    }
}
