import Curl
import Foundation
import Logging
import SwitchboardConnectors
import SwitchboardCore
import SwitchboardStore

/// Polls one IMAP mailbox over libcurl (`imap` sources).
///
/// Each poll: `STATUS` for the mailbox's UIDVALIDITY; a custom `UID SEARCH UID {last+1}:*` on the
/// mailbox; then each new message fetched
/// by URL (`.../INBOX;UIDVALIDITY=v/;UID=n`; libcurl 7.88 does not return literals from custom
/// FETCH commands), oldest first, at most `batchSize` a poll. Messages are never moved or deleted
/// (fetching `BODY[]` marks them `\Seen`).
/// Each request logs in on a connection of its own (see ``execute(url:command:during:limit:)``).
///
/// The cursor is `"{uidvalidity}:{last uid}"`, committed with the batch. When the mailbox's
/// UIDVALIDITY is no longer the cursor's, every UID is read again (a resync): messages already
/// taken come back with the same webhook id, their Message-ID, and the store drops them as
/// duplicates. A message without a Message-ID gets a content hash as its id, which dedupes as well.
public struct ImapPoller: Poller {
    let source: String
    let mailbox: ImapMailbox
    let username: String
    let password: String
    let senders: SenderPolicy
    let client: CurlClient
    let batchSize: Int
    let timeout: Duration
    let logger: Logger

    /// The largest message read whole; a larger one is read up to this size, its text from what
    /// arrived, and marked `truncated`.
    static let maxMessageBytes = 32 << 20

    /// - Parameters:
    ///   - source: The source's name, for events and logs.
    ///   - mailbox: The mailbox to poll.
    ///   - senders: How `From:` and threading are trusted (``SenderPolicy``).
    ///   - client: The shared libcurl client.
    ///   - batchSize: The most messages one poll takes; the rest come at once in the next.
    public init(
        source: String, mailbox: ImapMailbox, username: String, password: String,
        senders: SenderPolicy = SenderPolicy(), client: CurlClient,
        batchSize: Int = 50, timeout: Duration = .seconds(60), logger: Logger
    ) {
        self.source = source
        self.mailbox = mailbox
        self.username = username
        self.password = password
        self.senders = senders
        self.client = client
        self.batchSize = max(1, batchSize)
        self.timeout = timeout
        self.logger = logger
    }

    public func poll(cursor: String?) async throws -> PollBatch {
        let validity = try await status()
        var last: UInt64 = 0
        if let previous = cursor.flatMap(ImapCursor.init) {
            if previous.uidValidity == validity {
                last = previous.lastUID
            } else {
                logger.warning(
                    "IMAP UIDVALIDITY changed; reading the mailbox again, skipping messages already taken",
                    metadata: ["source": "\(source)", "was": "\(previous.uidValidity)", "now": "\(validity)"])
            }
        }
        // `n:*` always matches the highest UID, even below n: keep only the new ones.
        let uids = try await search(after: last, validity: validity).filter { $0 > last }.sorted()
        let taking = uids.prefix(batchSize)
        var events: [InboundEvent] = []
        var newest: Date?
        for uid in taking {
            let (raw, truncated) = try await fetch(uid: uid, validity: validity)
            guard let message = message(from: raw, uid: uid, validity: validity, truncated: truncated) else { continue }
            newest = max(newest ?? message.sentAt, message.sentAt)
            events.append(
                InboundEvent(
                    source: source, kind: "imap", webhookId: message.messageId, receivedAt: Date(),
                    body: PolledConnector.body(of: message)))
        }
        let lag = newest.map { Duration.milliseconds(max(0, Int64(Date().timeIntervalSince($0) * 1000))) }
        return PollBatch(
            events: events, cursor: ImapCursor(uidValidity: validity, lastUID: taking.last ?? last).description,
            more: uids.count > taking.count, lag: lag)
    }

    /// The message read from `raw`, or nil (logged) when it cannot be routed: no sender address.
    func message(from raw: [UInt8], uid: UInt64, validity: UInt64, truncated: Bool) -> InboundMessage? {
        let mail = MailMessage(parsing: raw)
        do {
            var message = try mail.inboundMessage(
                source: source, fallbackId: "sha:\(ContentHash.hex(raw))", receivedAt: Date(), senders: senders)
            if truncated { message.attributes["truncated"] = .bool(true) }
            return message
        } catch {
            logger.warning(
                "IMAP message skipped: it cannot be routed",
                metadata: ["source": "\(source)", "uid": "\(uid)", "uidvalidity": "\(validity)", "error": "\(error)"])
            return nil
        }
    }
}
