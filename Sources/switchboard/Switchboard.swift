import ArgumentParser

@main
struct Switchboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "Routes each customer conversation in one hop to an agent who can resolve it.",
        subcommands: [Serve.self, Routes.self, Simulate.self, Migrate.self, Desk.self, Secret.self, Bench.self],
        defaultSubcommand: Serve.self)
}
