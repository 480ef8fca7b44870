import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Deadlines for each request on a connection: its head must arrive within `head` of its first
/// byte, its body within `body` of its head; a connection past either is closed. A client sending
/// one byte a second, or a body that never ends, holds a connection and its buffer for that long at
/// most. A connection waiting for its next request is left to the idle timeout.
///
/// Two handlers share one clock: ``bytes`` sits first in the pipeline and sees a request's first
/// byte; ``parts`` sits after the HTTP decoder and sees its head and its end.
struct RequestDeadlines: Sendable {
    var head: TimeAmount
    var body: TimeAmount

    /// The handlers for a new connection; ``PartsHandler`` puts ``BytesHandler`` first in the pipeline.
    func handlers() -> [any RemovableChannelHandler] {
        [PartsHandler(clock: Clock(deadlines: self))]
    }

    /// Where a connection's current request is, on the connection's event loop only.
    final class Clock {
        enum State {
            case waiting
            case head(Scheduled<Void>)
            case body(Scheduled<Void>)
        }

        let deadlines: RequestDeadlines
        var state = State.waiting

        init(deadlines: RequestDeadlines) { self.deadlines = deadlines }

        func arm(_ next: (Scheduled<Void>) -> State, after amount: TimeAmount, on channel: any Channel) {
            cancel()
            let task = channel.eventLoop.scheduleTask(in: amount) { channel.close(promise: nil) }
            state = next(task)
        }

        func cancel() {
            switch state {
            case .waiting: break
            case .head(let task), .body(let task): task.cancel()
            }
            state = .waiting
        }
    }

    /// First in the pipeline: a byte while no request is under way starts the head's deadline.
    final class BytesHandler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        let clock: Clock

        init(clock: Clock) { self.clock = clock }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .waiting = clock.state {
                clock.arm(Clock.State.head, after: clock.deadlines.head, on: context.channel)
            }
            context.fireChannelRead(data)
        }
    }

    /// After the HTTP decoder: the head starts the body's deadline, the end stops it.
    final class PartsHandler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart
        typealias InboundOut = HTTPRequestPart
        typealias State = Clock.State
        let clock: Clock

        init(clock: Clock) { self.clock = clock }

        func handlerAdded(context: ChannelHandlerContext) {
            try? context.pipeline.syncOperations.addHandler(BytesHandler(clock: clock), position: .first)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head: clock.arm(State.body, after: clock.deadlines.body, on: context.channel)
            case .body: break
            case .end: clock.cancel()
            }
            context.fireChannelRead(data)
        }

        func channelInactive(context: ChannelHandlerContext) {
            clock.cancel()
            context.fireChannelInactive()
        }
    }
}
