import ArgumentParser

/// `switchboard bench`: release-build benchmarks that print their figures.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks (run them on a release build: make bench, make bench-routing, make bench-memory, make bench-e2e, make bench-parsers).",
        subcommands: [BenchInbound.self, BenchRouting.self, BenchMemory.self, BenchEndToEnd.self, BenchParsers.self],
        defaultSubcommand: BenchInbound.self)
}
