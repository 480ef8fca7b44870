import Curl
import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway dovecot (Debian's `dovecot-imapd`) for one test: plain IMAP on a free local port, a
/// maildir and a passwd-file user in a temporary directory, run as a child process until `stop()`.
///
/// Dovecot refuses uid 0 for mail, so when the tests run as root the maildir belongs to `nobody`.
/// When dovecot is missing or does not start, ``start()`` throws, and the test fails with the reason.
final class Dovecot: @unchecked Sendable {
    static let user = "support"
    static let password = "imap-test-pass"

    let directory: URL
    let port: Int
    private let process: SpawnedProcess
    let client = CurlClient()

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The INBOX's URL.
    var url: String { url(mailbox: "INBOX") }

    /// A mailbox's URL.
    func url(mailbox: String) -> String { "imap://127.0.0.1:\(port)/\(mailbox)" }

    private init(directory: URL, port: Int, process: SpawnedProcess) {
        self.directory = directory
        self.port = port
        self.process = process
    }

    static func start() async throws -> Dovecot {
        let binary = "/usr/sbin/dovecot"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw Failure(
                description:
                    "dovecot is not installed (\(binary)): the IMAP tests need a real server; run `make test`, which installs dovecot-imapd, or `apt-get install dovecot-imapd`"
            )
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-dovecot-\(UUID().uuidString)")
        for sub in ["mail", "run", "state"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let root = getuid() == 0
        let account = root ? getpwnam("nobody") : getpwuid(getuid())
        guard let account else { throw Failure(description: "no account to run dovecot's mail processes as") }
        let uid = account.pointee.pw_uid
        let gid = account.pointee.pw_gid
        let me = String(cString: getpwuid(getuid()).pointee.pw_name)
        if root { chown(directory.appendingPathComponent("mail").path, uid, gid) }
        let port = try FreePort.find()
        let path = directory.path
        let users = "\(user):{PLAIN}\(password)::::\n"
        try users.write(to: directory.appendingPathComponent("users"), atomically: true, encoding: .utf8)
        let config = """
            protocols = imap
            listen = 127.0.0.1
            base_dir = \(path)/run
            state_dir = \(path)/state
            log_path = \(path)/dovecot.log
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            auth_failure_delay = 0
            login_trusted_networks = 127.0.0.0/8
            mail_location = maildir:\(path)/mail/%u
            mail_uid = \(uid)
            mail_gid = \(gid)
            first_valid_uid = \(min(uid, 1))
            first_valid_gid = 0
            \(root ? "" : "default_internal_user = \(me)\ndefault_login_user = \(me)\ndefault_internal_group = \(String(cString: getgrgid(getgid()).pointee.gr_name))")
            passdb {
              driver = passwd-file
              args = scheme=PLAIN \(path)/users
            }
            userdb {
              driver = static
              args = uid=\(uid) gid=\(gid) home=\(path)/mail/%u
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = \(port)
              }
              inet_listener imaps {
                port = 0
              }
            }
            """
        try config.write(to: directory.appendingPathComponent("dovecot.conf"), atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("stderr.log")
        let process = try SpawnedProcess.start(binary, ["-F", "-c", "\(path)/dovecot.conf"], output: output.path)
        let dovecot = Dovecot(directory: directory, port: port, process: process)
        for _ in 0..<100 {
            if !process.isRunning { break }
            if canConnect(port: port) { return dovecot }
            try await Task.sleep(for: .milliseconds(50))
        }
        let log = [output, directory.appendingPathComponent("dovecot.log")]
            .compactMap { try? String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
        dovecot.stop()
        throw Failure(description: "dovecot did not start on port \(port):\n\(log)")
    }

    /// Appends a message to `mailbox` (IMAP APPEND through libcurl's upload), on a connection of
    /// its own: a kept one may still see a mailbox ``renumberInbox()`` has changed under it.
    func append(_ message: String, mailbox: String = "INBOX") async throws {
        let lines = message.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let client = CurlClient()
        defer { client.shutdown() }
        do {
            _ = try await client.execute(
                CurlRequest(
                    url: "imap://127.0.0.1:\(port)/\(mailbox)", username: Self.user, password: Self.password,
                    upload: Array(lines.utf8)))
        } catch {
            throw Failure(description: "APPEND failed: \(error)\ndovecot's log:\n\(log)")
        }
    }

    /// The end of dovecot's log.
    var log: String {
        let text = (try? String(contentsOf: directory.appendingPathComponent("dovecot.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    /// Sends one IMAP command (`CREATE Support`) on a connection of its own; returns the untagged lines.
    @discardableResult
    func command(_ command: String) async throws -> String {
        let client = CurlClient()
        defer { client.shutdown() }
        do {
            let response = try await client.execute(
                CurlRequest(
                    url: "imap://127.0.0.1:\(port)/", username: Self.user, password: Self.password, command: command))
            return String(decoding: response.body, as: UTF8.self)
        } catch {
            throw Failure(description: "\(command) failed: \(error)\ndovecot's log:\n\(log)")
        }
    }

    /// A mailbox's UIDVALIDITY, as STATUS reports it.
    func uidValidity(_ mailbox: String) async throws -> String {
        let status = try await command("STATUS \(mailbox) (UIDVALIDITY)")
        return status.split(separator: " ").last.map { String($0.filter(\.isNumber)) } ?? ""
    }

    func stop() {
        client.shutdown()
        // SIGKILL: the master's children see it gone and exit within a second; SIGTERM takes
        // seconds.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            for _ in 0..<100 where process.isRunning { usleep(20_000) }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    private static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
