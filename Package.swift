// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]
/// For the targets on a request's path: a nonisolated async function runs on its caller's
/// executor (the event loop) instead of checking at every call whether to switch.
let requestPath = strict + [.enableUpcomingFeature("NonisolatedNonsendingByDefault")]

let package = Package(
    name: "Strata",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "strata", targets: ["strata"]),
        .executable(name: "strata-bench-language", targets: ["strata-bench-language"]),
        .executable(name: "strata-bench-event-lag", targets: ["strata-bench-event-lag"]),
        .executable(name: "strata-conformance", targets: ["strata-conformance"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Already a dependency of PostgresNIO and JWTKit; used for migration checksums.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        // Already a dependency of HummingbirdTesting; posts webhooks.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Already a dependency of Hummingbird; the tracing API requests' spans are recorded with.
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // OTLP over HTTP only: the gRPC exporter's packages are never built.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        .target(name: "GraphQLLanguage", swiftSettings: strict),
        .target(name: "GraphQLTypeSystem", dependencies: ["GraphQLLanguage"], swiftSettings: strict),
        .target(name: "GraphQLValidation", dependencies: ["GraphQLTypeSystem"], swiftSettings: strict),
        .target(
            name: "SchemaModel",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(name: "APISchema", dependencies: ["GraphQLTypeSystem", "SchemaModel"], swiftSettings: strict),
        .target(name: "SQL", swiftSettings: strict),
        .target(
            name: "Telemetry",
            dependencies: [
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(name: "Planner", dependencies: ["APISchema", "SQL", "GraphQLValidation"], swiftSettings: strict),
        .target(
            name: "Database",
            dependencies: [
                "SQL",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: requestPath
        ),
        .target(
            name: "Events",
            dependencies: [
                "Database", "Planner", "SchemaModel", "Telemetry",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Server",
            dependencies: [
                "Planner", "Database", "Events", "GraphQLLanguage", "Telemetry",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
            ],
            swiftSettings: requestPath
        ),
        .executableTarget(
            name: "strata",
            dependencies: [
                "Server", "Database", "Events", "SchemaModel", "APISchema", "GraphQLLanguage", "GraphQLTypeSystem", "GraphQLValidation", "SQL",
                "Telemetry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "Database", "Events", "SchemaModel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        .executableTarget(
            name: "strata-conformance", dependencies: ["GraphQLLanguage", "GraphQLTypeSystem", "GraphQLValidation"],
            path: "Tests/Conformance/Tool", swiftSettings: strict),
        .executableTarget(
            name: "strata-event-worker",
            dependencies: [
                "Events", "Database",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/EventWorker", swiftSettings: strict),
        .executableTarget(
            name: "strata-bench-event-lag",
            dependencies: [
                "Events", "Database",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/EventLagProbe", swiftSettings: strict),
        .executableTarget(
            name: "strata-bench-language", dependencies: ["GraphQLLanguage", "GraphQLTypeSystem", "GraphQLValidation"],
            path: "Benchmarks/LanguageBenchmark", swiftSettings: strict),

        .testTarget(
            name: "GraphQLLanguageTests", dependencies: ["GraphQLLanguage"],
            resources: [.copy("Cases")], swiftSettings: strict),
        .testTarget(
            name: "GraphQLTypeSystemTests", dependencies: ["GraphQLTypeSystem"],
            resources: [.copy("Cases")], swiftSettings: strict),
        .testTarget(name: "GraphQLValidationTests", dependencies: ["GraphQLValidation", "GraphQLTypeSystem"], swiftSettings: strict),
        .testTarget(name: "SchemaModelTests", dependencies: ["SchemaModel"], swiftSettings: strict),
        .testTarget(name: "APISchemaTests", dependencies: ["APISchema", "SchemaModel", "GraphQLTypeSystem"], swiftSettings: strict),
        .testTarget(name: "SQLTests", dependencies: ["SQL"], swiftSettings: strict),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry"], swiftSettings: strict),
        .testTarget(
            name: "PlannerTests",
            dependencies: [
                "Planner", "TestSupport", "SchemaModel", "APISchema",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Golden", "seed.sql"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DatabaseTests",
            dependencies: ["Database", "SQL", "TestSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(
            name: "EventsTests",
            dependencies: [
                "Events", "Database", "SchemaModel", "SQL", "TestSupport", "strata-event-worker",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Events", "TestSupport", "SchemaModel", "APISchema", "Planner", "Database", "GraphQLLanguage",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "StrataTests",
            dependencies: [
                "strata", "strata-conformance", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
    ]
)
