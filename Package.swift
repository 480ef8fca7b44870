// swift-tools-version:6.2
import Foundation
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Switchboard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchboard", targets: ["switchboard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
    ],
    targets: [
        // libcurl, as Debian ships it; static inline shims for its variadic calls.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Which addresses outbound connections may reach (link-local and metadata never; private ones by
        // setting): pure, over libc's address types, for the Curl client and the configuration alike.
        .target(name: "NetworkPolicy", swiftSettings: swiftSettings),
        // The only Swift module that imports CCurl: an async HTTP client over curl's multi interface.
        .target(
            name: "Curl",
            dependencies: ["CCurl", "NetworkPolicy"],
            swiftSettings: swiftSettings
        ),
        // The pure domain: no I/O. Foundation, and swift-collections' heap and deque for the engine's timers and queue.
        .target(
            name: "SwitchboardCore",
            dependencies: [
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        // Standard Webhooks signing and verification, shared by inbound, delivery and the desk.
        .target(
            name: "StandardWebhooks",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Each platform's webhooks: signature checks, handshakes and normalisers into the one message shape.
        .target(
            name: "SwitchboardConnectors",
            dependencies: [
                "SwitchboardCore", "StandardWebhooks",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // A contact centre's day simulated with a virtual clock: the real engine against the usual policies.
        // Pure, as Core is.
        .target(
            name: "SwitchboardSimulation",
            dependencies: [
                "SwitchboardCore",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        // Configuration, routing tables, agent files and day scenarios: YAML in, Core types out, errors with file:line.
        .target(
            name: "SwitchboardConfig",
            dependencies: [
                "SwitchboardCore", "SwitchboardSimulation", "StandardWebhooks", "NetworkPolicy",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
        // The store's contract: role protocols, records, errors and the rules both stores follow, as pure
        // functions. No database here: delivery and polling depend on this, not on GRDB or PostgresNIO.
        .target(
            name: "SwitchboardStore",
            dependencies: [
                "SwitchboardCore", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The store's logic written once, in SQL both databases take, over a session and a dialect that each
        // store module implements: no database driver here.
        .target(
            name: "SwitchboardSQL",
            dependencies: ["SwitchboardCore", "SwitchboardStore"],
            swiftSettings: swiftSettings
        ),
        // The embedded store: SQL and binding on SQLite (GRDB), with its migrations.
        .target(
            name: "SwitchboardSQLite",
            dependencies: [
                "SwitchboardCore", "SwitchboardStore", "SwitchboardSQL",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The store on PostgreSQL (postgres-nio), for several instances sharing one database: SQL and binding.
        .target(
            name: "SwitchboardPostgres",
            dependencies: [
                "SwitchboardCore", "SwitchboardStore", "SwitchboardSQL",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Signed handoff webhooks to agents' desks, retried durably.
        .target(
            name: "SwitchboardDelivery",
            dependencies: [
                "SwitchboardCore", "SwitchboardStore", "Curl", "StandardWebhooks",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Sources Switchboard pulls from (IMAP mailboxes, Matrix accounts) over libcurl, each a service
        // that commits its messages with its cursor.
        .target(
            name: "SwitchboardPolling",
            dependencies: [
                "SwitchboardCore", "SwitchboardStore", "SwitchboardConnectors", "Curl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Hummingbird application: endpoints and services wired in one ServiceGroup.
        .target(
            name: "SwitchboardServer",
            dependencies: [
                "SwitchboardCore", "SwitchboardConfig", "SwitchboardStore", "SwitchboardSQLite", "SwitchboardPostgres",
                "SwitchboardDelivery", "SwitchboardSimulation",
                "SwitchboardConnectors", "SwitchboardPolling", "StandardWebhooks", "Curl",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // The admin page's Mustache templates, read at start-up, and the OpenAPI document, served as it is at
            // /openapi.json; both through Bundle.module.
            resources: [.copy("Admin/Templates"), .copy("Resources/openapi.json")],
            swiftSettings: swiftSettings
        ),
        // The pure parts of `switchboard bench e2e`: the open-loop plan, percentiles, the search for the highest
        // sustainable rate. Pure (Core for its seeded generator), so that they are tested without a server.
        .target(name: "SwitchboardBench", dependencies: ["SwitchboardCore"], swiftSettings: swiftSettings),
        // Inputs built to hit each parser's worst case beside a benign one of the same size: timed by
        // `switchboard bench parsers` (1 MiB) and by SwitchboardHostileTests (100 KB).
        .target(
            name: "SwitchboardHostile", dependencies: ["SwitchboardCore", "SwitchboardConnectors", "StandardWebhooks"],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "switchboard",
            dependencies: [
                "SwitchboardServer", "SwitchboardConfig", "SwitchboardStore", "SwitchboardSQLite", "SwitchboardPostgres",
                "StandardWebhooks", "SwitchboardBench", "SwitchboardHostile", "SwitchboardSimulation", "Curl",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // What tests of several targets share: free ports, a throwaway PostgreSQL cluster.
        .target(
            name: "TestSupport",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Support", swiftSettings: swiftSettings),
        .testTarget(name: "SwitchboardCoreTests", dependencies: ["SwitchboardCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SwitchboardSimulationTests",
            dependencies: ["SwitchboardSimulation", "SwitchboardConfig", "SwitchboardCore"], swiftSettings: swiftSettings),
        .testTarget(name: "SwitchboardBenchTests", dependencies: ["SwitchboardBench"], swiftSettings: swiftSettings),
        .testTarget(name: "SwitchboardHostileTests", dependencies: ["SwitchboardHostile"], swiftSettings: swiftSettings),
        .testTarget(name: "StandardWebhooksTests", dependencies: ["StandardWebhooks"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SwitchboardPollingTests",
            dependencies: [
                "SwitchboardPolling", "SwitchboardStore", "SwitchboardSQLite", "SwitchboardCore", "SwitchboardConnectors", "Curl",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SwitchboardConnectorsTests", dependencies: ["SwitchboardConnectors", "SwitchboardCore"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "CurlTests",
            dependencies: [
                "Curl",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SwitchboardConfigTests", dependencies: ["SwitchboardConfig"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SwitchboardStoreTests",
            dependencies: [
                "SwitchboardStore", "SwitchboardSQL", "SwitchboardSQLite", "SwitchboardPostgres", "SwitchboardCore", "SwitchboardBench",
                "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SwitchboardDeliveryTests", dependencies: ["SwitchboardDelivery", "SwitchboardStore", "Curl"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SwitchboardServerTests",
            dependencies: [
                "SwitchboardServer", "SwitchboardConfig", "SwitchboardStore", "SwitchboardSQLite", "SwitchboardConnectors",
                "StandardWebhooks", "Curl", "SwitchboardPolling", "SwitchboardPostgres", "SwitchboardHostile", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// `switchboard-fuzz TARGET`: libFuzzer over the connectors' normalisers, MIME, forms, expressions and the YAML
// readers. It links libFuzzer's driver, so it exists only in the build `make fuzz` makes (SWITCHBOARD_FUZZ=1,
// `-sanitize=fuzzer`, into .build-fuzz).
if ProcessInfo.processInfo.environment["SWITCHBOARD_FUZZ"] != nil {
    package.products.append(.executable(name: "switchboard-fuzz", targets: ["SwitchboardFuzz"]))
    package.targets.append(
        .executableTarget(
            name: "SwitchboardFuzz",
            dependencies: ["SwitchboardCore", "SwitchboardConnectors", "SwitchboardConfig", "SwitchboardHostile"],
            swiftSettings: swiftSettings))
}
