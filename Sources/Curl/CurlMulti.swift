import CCurl
import Foundation  // Thread
import Synchronization

/// The curl multi handle and the one thread that drives it: it adds submitted transfers,
/// runs `curl_multi_perform`, resumes finished transfers found with `curl_multi_info_read`, and
/// sleeps in `curl_multi_poll` until there is network activity or ``submit(_:)``, ``cancel(_:)``
/// or ``shutdown()`` wakes it with `curl_multi_wakeup`.
///
/// The multi handle lives as long as the thread, so its connection cache keeps connections
/// alive between requests.
///
/// `@unchecked Sendable`: `multi` is used only by the multi thread, except for
/// `curl_multi_wakeup` (documented as callable from any thread), which is called only under
/// `shared`'s lock while `shutDown` is false, i.e. before the thread can have seen the shutdown
/// and cleaned the handle up. Everything else other threads touch is in `shared`.
final class CurlMulti: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer

    /// What other threads hand to the multi thread.
    private struct Shared {
        var added: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var shutDown = false
    }
    private let shared = Mutex(Shared())

    /// Creates the multi handle and starts its thread.
    init() throws(CurlError) {
        try CurlGlobal.ensureInitialized()
        guard let multi = curl_multi_init() else {
            throw CurlError(CURLE_FAILED_INIT, detail: "curl_multi_init returned NULL")
        }
        self.multi = multi
        // The thread holds the only other reference; it ends after shutdown().
        let thread = Thread { [self] in self.run() }
        thread.name = "CurlClient"
        thread.start()
    }

    /// Hands `transfer` to the multi thread, or fails it if the client was shut down.
    func submit(_ transfer: CurlTransfer) {
        let accepted = shared.withLock { shared in
            guard !shared.shutDown else { return false }
            shared.added.append(transfer)
            curl_multi_wakeup(multi)
            return true
        }
        if !accepted {
            transfer.finish(.failure(CurlError.shutDown))
        }
    }

    /// Asks the multi thread to abort `transfer` and fail it with `CancellationError`.
    func cancel(_ transfer: CurlTransfer) {
        shared.withLock { shared in
            guard !shared.shutDown else { return }  // the thread fails everything anyway
            shared.cancelled.append(transfer)
            curl_multi_wakeup(multi)
        }
    }

    /// Stops the thread: pending transfers fail with ``CurlError``, then the multi handle is
    /// cleaned up. Idempotent; returns without waiting for the thread.
    func shutdown() {
        shared.withLock { shared in
            guard !shared.shutDown else { return }
            shared.shutDown = true
            curl_multi_wakeup(multi)
        }
    }

    // MARK: Multi thread

    private func run() {
        // Transfers added to the multi handle, by easy handle.
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        while true {
            let (added, cancelled, shutDown) = shared.withLock { shared in
                defer {
                    shared.added.removeAll()
                    shared.cancelled.removeAll()
                }
                return (shared.added, shared.cancelled, shared.shutDown)
            }
            for transfer in added {
                let code = curl_multi_add_handle(multi, transfer.easy)
                if code == CURLM_OK {
                    active[transfer.easy] = transfer
                } else {
                    transfer.finish(.failure(CurlError(multiCode: code, call: "curl_multi_add_handle")))
                }
            }
            for transfer in cancelled {
                if active.removeValue(forKey: transfer.easy) != nil {
                    curl_multi_remove_handle(multi, transfer.easy)
                }
                transfer.finish(.failure(CancellationError()))
            }
            if shutDown {
                for (easy, transfer) in active {
                    curl_multi_remove_handle(multi, easy)
                    transfer.finish(.failure(CurlError.shutDown))
                }
                active.removeAll()
                break
            }

            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)  // invalidates `message`
                active.removeValue(forKey: easy)?.complete(code)
            }
            // Returns early on activity, curl's own timeouts, or curl_multi_wakeup.
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        curl_multi_cleanup(multi)
    }
}

extension CurlError {
    /// An error for a failed multi-interface call; `code` is then `CURLE_FAILED_INIT`.
    init(multiCode: CURLMcode, call: String) {
        self.init(
            code: Int(CURLE_FAILED_INIT.rawValue),
            message: "\(call) failed: \(String(cString: curl_multi_strerror(multiCode)))"
        )
    }
}
