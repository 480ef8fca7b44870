import ArgumentParser
import SwitchboardConfig
import SwitchboardStore

/// `switchboard migrate`: apply the store's migrations and list them.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the store, then exit.")

    @Option(name: .shortAndLong, help: "The configuration file.")
    var config = "Config/switchboard.yaml"

    func run() throws {
        let settings = try loadConfiguration(config)
        let store = try SQLiteStore(path: settings.storage.sqlite)
        for name in try store.appliedMigrations() { print("applied \(name)") }
        try store.close()
    }
}
