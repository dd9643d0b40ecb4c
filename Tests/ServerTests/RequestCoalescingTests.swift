import APISchema
import Database
import GraphQLLanguage
import GraphQLTypeSystem
import Logging
import NIOCore
import Planner
import SchemaModel
import Testing
import TestSupport
@testable import Server

/// Concurrent requests of one query waiting for a connection run as one statement, and each
/// gets what it would have got alone: its own data, its own error, its own cancellation.
@Suite("Request coalescing")
struct RequestCoalescingTests {
    static let session = Session(role: "member", tenantID: DemoTenants.acme, userID: "10000000-0000-4000-8000-000000000002")

    /// The demo API on a pool of one connection, which `hold` keeps busy until `release`.
    struct Bench {
        let database: TestDatabase
        let pool: SessionPool
        let executor: GraphQLExecutor
        let batches: RequestBatches
        let writes: RequestBatches

        static func start(maximumWaiting: Int = 1_024, connections: Int = 1, concurrentReads: Int? = nil, concurrentWrites: Int? = nil,
                          acquireTimeout: Duration = .seconds(60)) async throws -> Bench {
            let database = try await TestCluster.shared.makeDatabase()
            try await database.loadDemoData()
            let project = try SchemaProject.load(directory: ProjectFiles.root + "/schema", environment: [:])
            let logger = Logger(label: "strata.test")
            var configuration = SessionPool.Configuration(endpoint: database.endpoint(user: "strata_authenticator"), maximumConnections: connections,
                                                          statementTimeoutMilliseconds: 60_000, roles: Set(project.roleNames),
                                                          acquireTimeout: acquireTimeout, maximumWaiting: maximumWaiting)
            configuration.concurrentReads = concurrentReads
            configuration.concurrentWrites = concurrentWrites
            let pool = SessionPool(configuration: configuration, logger: logger)
            let executor = GraphQLExecutor(apis: try RoleSchema.buildAll(project), pools: SessionPools(pool), limits: .default, logger: logger)
            return Bench(database: database, pool: pool, executor: executor, batches: try #require(executor.batches[ObjectIdentifier(pool)]),
                         writes: try #require(executor.writeBatches[ObjectIdentifier(pool)]))
        }

        func prepared(_ query: String, _ variables: [String: JSONValue]) throws -> GraphQLExecutor.Prepared {
            guard case .ready(let prepared) = executor.prepare(GraphQLRequest(query: query, variables: variables), session: session) else {
                throw GraphQLError("not prepared: \(query)")
            }
            return prepared
        }

        /// Keeps the pool's only connection until the returned continuation is resumed.
        func hold() async throws -> (release: CheckedContinuation<Void, Never>, done: Task<Void, any Error>) {
            let (gate, opened) = AsyncStream.makeStream(of: CheckedContinuation<Void, Never>.self)
            let pool = self.pool
            let done = Task {
                try await pool.transaction(settings: ConnectionSettings(role: "member", tenantID: DemoTenants.acme, userID: nil, claims: "{}")) { _ in
                    await withCheckedContinuation { release in opened.yield(release) }
                }
            }
            var iterator = gate.makeAsyncIterator()
            return (try #require(await iterator.next()), done)
        }

        /// Locks the tasks table (another session's `ACCESS EXCLUSIVE`) until the returned
        /// continuation is resumed: a read of tasks started meanwhile runs, holding its place,
        /// until then.
        func lockTasks() async throws -> (release: CheckedContinuation<Void, Never>, done: Task<Void, any Error>) {
            let (gate, opened) = AsyncStream.makeStream(of: CheckedContinuation<Void, Never>.self)
            let done = Task { [database] in
                try await database.withConnection { connection in
                    let logger = Logger(label: "strata.test")
                    try await connection.query("BEGIN", logger: logger)
                    try await connection.query("LOCK TABLE public.tasks IN ACCESS EXCLUSIVE MODE", logger: logger)
                    await withCheckedContinuation { release in opened.yield(release) }
                    try await connection.query("ROLLBACK", logger: logger)
                }
            }
            var iterator = gate.makeAsyncIterator()
            return (try #require(await iterator.next()), done)
        }

        /// Waits until `count` reads (or writes, given the write batches) hold their places.
        func waitForReads(_ count: Int, of kind: RequestBatches? = nil) async throws {
            let batches = kind ?? self.batches
            for _ in 0..<400 where batches.statementsRunning != count { try await Task.sleep(for: .milliseconds(25)) }
            #expect(batches.statementsRunning == count)
        }

        /// Waits until `count` requests wait in batches of reads (or of writes, given them).
        func waitForMembers(_ count: Int, of kind: RequestBatches? = nil) async throws {
            let batches = kind ?? self.batches
            for _ in 0..<400 where batches.waitingMembers < count { try await Task.sleep(for: .milliseconds(25)) }
            #expect(batches.waitingMembers == count)
        }

        /// Each request's outcome when all of them had to wait for the connection together.
        func runWaiting(_ requests: [GraphQLExecutor.Prepared], of kind: RequestBatches? = nil) async throws -> [GraphQLExecutor.Outcome] {
            let (release, held) = try await hold()
            let answers = requests.map { prepared in Task { await executor.run(prepared) } }
            try await waitForMembers(requests.count, of: kind)
            release.resume()
            try await held.value
            return await answers.asyncMap { await $0.value }
        }

        func stop() async {
            await pool.shutdown()
        }
    }

    static func text(_ outcome: GraphQLExecutor.Outcome) -> String? {
        if case .data(let bytes) = outcome { return String(buffer: bytes) }
        return nil
    }

    static func code(_ outcome: GraphQLExecutor.Outcome) -> String? {
        if case .executionErrors(let errors) = outcome { return errors.first?.code }
        return nil
    }

    static let titles = "query($n: Int!) { tasks(order_by: {title: asc}, limit: $n) { title } }"

    @Test("requests waiting for a connection run as one statement, each answered with its own data")
    func oneStatement() async throws {
        let bench = try await Bench.start()
        let requests = try (1...6).map { try bench.prepared(Self.titles, ["n": .number("\($0)")]) }
        // A request finding the connection free runs alone, never held back for others.
        let alone = try await requests.asyncMap { Self.text(await bench.executor.run($0)) }
        #expect(bench.pool.counts.batches == 0)

        let coalesced = try await bench.runWaiting(requests).map(Self.text)
        #expect(coalesced == alone, "each request gets what it got alone")
        let counts = coalesced.map { ($0?.components(separatedBy: "\"title\"").count ?? 0) - 1 }
        #expect(counts.first == 1 && counts.enumerated().allSatisfy { $1 == min($0 + 1, counts.last ?? 0) } && (counts.last ?? 0) > 1,
                "each its own limit: \(counts)")
        #expect(bench.pool.counts.batches == 1)
        #expect(bench.pool.counts.coalescedRequests == requests.count)
        await bench.stop()
    }

    @Test("lists of any length and values of any text travel with each request in a batch")
    func listsAndNulls() async throws {
        let bench = try await Bench.start()
        let ids = try await bench.database.rows("SELECT id::text FROM public.tasks WHERE tenant_id::text = \(DemoTenants.acme) ORDER BY title")
            .compactMap { $0.first ?? nil }
        try #require(ids.count >= 2)
        let query = "query($ids: [uuid!], $statuses: [String!], $status: String) { tasks(where: {id: {_in: $ids}, status: {_nin: $statuses, _neq: $status}}, order_by: {title: asc}) { id status } }"
        // One plan for all (only whether a scalar is null shapes it): lists of any length, values of any text.
        let variables: [[String: JSONValue]] = [
            ["ids": .array([.string(ids[0])]), "statuses": .array([]), "status": .string("x")],
            ["ids": .array(ids.map { .string($0) }), "statuses": .array([.string("done")]), "status": .string("no such status")],
            ["ids": .array([]), "statuses": .array([]), "status": .string("")],
            ["ids": .array(ids.map { .string($0) }), "statuses": .array([.string("a\"b\\c,{d}"), .string("NULL"), .string(""), .string("done")]),
             "status": .string("it's")],
        ]
        let requests = try variables.map { try bench.prepared(query, $0) }
        let alone = await requests.asyncMap { Self.outcomeText(await bench.executor.run($0)) }
        let coalesced = try await bench.runWaiting(requests).map(Self.outcomeText)
        #expect(coalesced == alone, "each request gets what it got alone")
        #expect(coalesced[0]?.contains(ids[0]) == true && coalesced[0]?.contains(ids[1]) == false)
        #expect(coalesced[2]?.contains("[]") == true)
        #expect(coalesced[3] == coalesced[1], "quotes, commas, braces, NULL and empty strings inside a list are values, not syntax")
        #expect(bench.pool.counts.batches == 1 && bench.pool.counts.coalescedRequests == requests.count)
        await bench.stop()
    }

    /// The data, or the first error's code.
    static func outcomeText(_ outcome: GraphQLExecutor.Outcome) -> String? {
        text(outcome) ?? code(outcome).map { "error " + $0 }
    }

    @Test("a request whose variable the database refuses gets its own error; the others their data")
    func oneBadMember() async throws {
        let bench = try await Bench.start()
        let byPk = "query($id: uuid!) { tasks_by_pk(id: $id) { title } }"
        let ids = try await bench.database.rows("SELECT id::text FROM public.tasks WHERE tenant_id::text = \(DemoTenants.acme) ORDER BY title")
            .compactMap { $0.first ?? nil }
        try #require(ids.count >= 2)
        let requests = try (ids + ["not-a-uuid"]).map { try bench.prepared(byPk, ["id": .string($0)]) }
        let outcomes = try await bench.runWaiting(requests)
        for outcome in outcomes.dropLast() {
            #expect(Self.text(outcome)?.contains("\"title\"") == true)
        }
        #expect(Self.code(outcomes[ids.count]) == "data-exception")
        #expect(bench.pool.counts.batches == 0, "the failed batch answered nobody; each ran alone")
        await bench.stop()
    }

    @Test("a request whose client hangs up leaves its batch; the others are answered")
    func memberLeaves() async throws {
        let bench = try await Bench.start()
        let requests = try (1...3).map { try bench.prepared(Self.titles, ["n": .number("\($0)")]) }
        let cancellations = requests.map { _ in QueryCancellation() }
        let (release, held) = try await bench.hold()
        let answers = zip(requests, cancellations).map { prepared, cancellation in
            Task { await bench.executor.run(prepared, cancellation: cancellation) }
        }
        try await bench.waitForMembers(requests.count)
        cancellations[1].cancel()
        try await bench.waitForMembers(2)
        release.resume()
        try await held.value
        let outcomes = await answers.asyncMap { await $0.value }
        #expect(Self.text(outcomes[0])?.contains("\"title\"") == true)
        #expect(Self.text(outcomes[1]) == nil)
        #expect(Self.text(outcomes[2])?.contains("\"title\"") == true)
        #expect(bench.pool.counts.batches == 1)
        #expect(bench.pool.counts.coalescedRequests == 2)
        await bench.stop()
    }

    @Test("requests waiting in batches count toward the most that may wait: past it they are refused at once")
    func waitingBound() async throws {
        // Three requests wait in one batch, which itself waits in the pool's queue: four of four places.
        let bench = try await Bench.start(maximumWaiting: 4)
        let requests = try (1...5).map { try bench.prepared(Self.titles, ["n": .number("\($0)")]) }
        let (release, held) = try await bench.hold()
        let answers = requests.prefix(3).map { prepared in Task { Self.outcomeText(await bench.executor.run(prepared)) } }
        try await bench.waitForMembers(3)
        for _ in 0..<400 where bench.pool.statistics.waiting < 1 { try await Task.sleep(for: .milliseconds(25)) }
        var refused: [String?] = []
        for prepared in requests.suffix(2) { refused.append(Self.outcomeText(await bench.executor.run(prepared))) }
        #expect(refused == ["error pool-exhausted", "error pool-exhausted"])
        #expect(bench.pool.counts.exhausted == 2)
        release.resume()
        try await held.value
        let served = await answers.asyncMap { await $0.value }
        #expect(served.allSatisfy { $0?.contains("\"title\"") == true })
        #expect(bench.batches.waitingMembers == 0)
        await bench.stop()
    }

    @Test("past the places for reads, requests wait and run as one statement though connections are free")
    func readPlaces() async throws {
        let bench = try await Bench.start(connections: 4, concurrentReads: 1)
        let requests = try (1...6).map { try bench.prepared(Self.titles, ["n": .number("\($0)")]) }
        let alone = try await requests.asyncMap { Self.text(await bench.executor.run($0)) }
        #expect(bench.pool.counts.batches == 0, "one at a time, each finds the place free")

        let (release, locked) = try await bench.lockTasks()
        let first = Task { await bench.executor.run(requests[0]) }
        try await bench.waitForReads(1)
        let others = requests.dropFirst().map { prepared in Task { await bench.executor.run(prepared) } }
        try await bench.waitForMembers(requests.count - 1)
        #expect(bench.pool.statistics.waiting == 0, "nobody waits for a connection: three are free")
        release.resume()
        try await locked.value
        let outcomes = await [first].asyncMap { Self.text(await $0.value) } + others.asyncMap { Self.text(await $0.value) }
        #expect(outcomes == alone, "each request gets what it got alone")
        #expect(bench.pool.counts.batches == 1 && bench.pool.counts.coalescedRequests == requests.count - 1)
        try await bench.waitForReads(0)
        await bench.stop()
    }

    @Test("a batch that cannot get a place for its read within the acquire timeout is refused as pool-exhausted")
    func readPlaceTimeout() async throws {
        let bench = try await Bench.start(connections: 2, concurrentReads: 1, acquireTimeout: .milliseconds(300))
        let requests = try (1...3).map { try bench.prepared(Self.titles, ["n": .number("\($0)")]) }
        let (release, locked) = try await bench.lockTasks()
        let first = Task { Self.outcomeText(await bench.executor.run(requests[0])) }
        try await bench.waitForReads(1)
        let started = ContinuousClock.now
        let refused = await requests.dropFirst().map { prepared in Task { Self.outcomeText(await bench.executor.run(prepared)) } }
            .asyncMap { await $0.value }
        #expect(refused == ["error pool-exhausted", "error pool-exhausted"])
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        #expect(bench.pool.counts.exhausted == 1, "one batch waited, and was refused")
        #expect(bench.batches.waitingMembers == 0)
        release.resume()
        try await locked.value
        #expect(await first.value?.contains("\"title\"") == true, "the read holding the place is answered")
        try await bench.waitForReads(0)
        #expect(Self.text(await bench.executor.run(requests[1]))?.contains("\"title\"") == true, "the place is free again")
        await bench.stop()
    }

    @Test("a heavy query's batches stay small; a cheap one's grow to the most")
    func capacity() {
        #expect(RequestBatches.capacity(memberCost: nil, maximum: 32) == RequestBatches.firstMembers)
        #expect(RequestBatches.capacity(memberCost: .microseconds(10), maximum: 32) == 32)
        #expect(RequestBatches.capacity(memberCost: .microseconds(250), maximum: 32) == 8)
        #expect(RequestBatches.capacity(memberCost: .milliseconds(40), maximum: 32) == 2)
        #expect(RequestBatches.capacity(memberCost: .zero, maximum: 32) == 32)
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
