@testable import Events
import Testing

/// The reader's line of handlers: one worker per handler at a time, a handler with more to do
/// to the back of the line, nothing once finished.
@Suite("Handler queue")
struct HandlerQueueTests {
    @Test("a handler marked again while a worker holds it waits for that worker; a full batch goes to the back of the line")
    func order() async {
        let queue = HandlerQueue()
        queue.mark([0, 1, 2])
        let first = await queue.next(), second = await queue.next()
        #expect(first == 0 && second == 1)
        queue.mark([0, 1])
        #expect(await queue.next() == 2, "0 and 1 are held by workers")
        queue.done(0, again: true)
        queue.done(1, again: false)
        queue.done(2, again: false)
        #expect(await queue.next() == 0)
        #expect(await queue.next() == 1, "marked while held: still due once")
        queue.done(0, again: false)
        queue.done(1, again: false)
        queue.finish()
        #expect(await queue.next() == nil)
    }

    @Test("a sleeping worker is handed the next handler marked, and nil at finish")
    func sleepers() async {
        let queue = HandlerQueue()
        async let handed = queue.next()
        try? await Task.sleep(for: .milliseconds(50))
        queue.mark([3])
        #expect(await handed == 3)
        async let ended = queue.next()
        try? await Task.sleep(for: .milliseconds(50))
        queue.finish()
        #expect(await ended == nil)
    }
}
