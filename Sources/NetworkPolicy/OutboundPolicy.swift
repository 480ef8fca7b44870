#if canImport(Glibc)
import Glibc
#endif

/// Which addresses Switchboard's outbound connections (desks, write-backs, Matrix homeservers, IMAP
/// servers) may reach, judged on the address a name resolves to when the connection is made.
///
/// Link-local and cloud metadata addresses are always refused: 169.254.0.0/16, fe80::/10,
/// fd00:ec2::254 (AWS over IPv6) and 100.100.100.200 (Alibaba). Loopback and private ranges (127.0.0.0/8,
/// 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 0.0.0.0/8, ::1, ::, fc00::/7) are allowed for
/// self-hosting unless `allowPrivate` is false (`outbound.allow_private`). An IPv4 address mapped into IPv6
/// (`::ffff:a.b.c.d`) is judged as the IPv4 address.
public struct OutboundPolicy: Sendable, Equatable {
    public var allowPrivate: Bool

    public init(allowPrivate: Bool = true) {
        self.allowPrivate = allowPrivate
    }

    /// Why the IPv4 address (4 bytes) is refused; nil when it may be reached.
    public func refusal(ipv4 a: [UInt8]) -> String? {
        guard a.count == 4 else { return "is not an IPv4 address" }
        let text = "\(a[0]).\(a[1]).\(a[2]).\(a[3])"
        if a[0] == 169 && a[1] == 254 { return "\(text) is a link-local address, where cloud metadata services answer" }
        if a == [100, 100, 100, 200] { return "\(text) is a cloud metadata address" }
        guard !allowPrivate else { return nil }
        let kind: String? =
            if a[0] == 127 { "a loopback address" }
            else if a[0] == 0 { "this host (0.0.0.0/8)" }
            else if a[0] == 10 || (a[0] == 172 && (16...31).contains(a[1])) || (a[0] == 192 && a[1] == 168) { "a private address" }
            else if a[0] == 100 && (64...127).contains(a[1]) { "a shared (carrier-grade NAT) address" }
            else { nil }
        return kind.map { "\(text) is \($0), refused because outbound.allow_private is false" }
    }

    /// Why the IPv6 address (16 bytes) is refused; nil when it may be reached.
    public func refusal(ipv6 a: [UInt8]) -> String? {
        guard a.count == 16 else { return "is not an IPv6 address" }
        if a[0..<10].allSatisfy({ $0 == 0 }) && a[10] == 0xff && a[11] == 0xff { return refusal(ipv4: Array(a[12...])) }
        let text = Self.text(ipv6: a)
        if a[0] == 0xfe && (a[1] & 0xc0) == 0x80 { return "\(text) is a link-local address" }
        if a == [0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54] { return "\(text) is a cloud metadata address" }
        guard !allowPrivate else { return nil }
        let kind: String? =
            if a[0..<15].allSatisfy({ $0 == 0 }) && (a[15] == 1 || a[15] == 0) { a[15] == 1 ? "a loopback address" : "the unspecified address" }
            else if (a[0] & 0xfe) == 0xfc { "a private (unique local) address" }
            else { nil }
        return kind.map { "\(text) is \($0), refused because outbound.allow_private is false" }
    }

    /// Why a host written as an IP address (`169.254.169.254`, `[fe80::1]`) is refused; nil when it may be
    /// reached or is a name (names are judged on what they resolve to, when connecting).
    public func refusal(literalHost host: String) -> String? {
        var host = host
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { refusal(ipv4: Array($0)) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { refusal(ipv6: Array($0)) }
        }
        return nil
    }

    /// Why a socket address (`sockaddr_in` or `sockaddr_in6`) is refused; nil when it may be reached.
    public func refusal(socketAddress address: UnsafeRawPointer, family: Int32) -> String? {
        switch family {
        case AF_INET:
            var sin = address.loadUnaligned(as: sockaddr_in.self)
            return withUnsafeBytes(of: &sin.sin_addr) { refusal(ipv4: Array($0)) }
        case AF_INET6:
            var sin6 = address.loadUnaligned(as: sockaddr_in6.self)
            return withUnsafeBytes(of: &sin6.sin6_addr) { refusal(ipv6: Array($0)) }
        default:
            return "address family \(family) is not IPv4 or IPv6"
        }
    }

    /// The host of an `http(s)://`, `imap(s)://` URL: between `://` (and any `user@`) and the port or path.
    public static func host(ofURL url: String) -> String? {
        let characters = Array(url)
        guard let colon = (0..<max(0, characters.count - 2)).first(where: {
            characters[$0] == ":" && characters[$0 + 1] == "/" && characters[$0 + 2] == "/"
        }) else { return nil }
        var authority = Substring(String(characters[(colon + 3)...])).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("[") { return authority.firstIndex(of: "]").map { String(authority[...$0]) } }
        return String(authority.prefix { $0 != ":" })
    }

    /// Why `url`'s host, when written as an IP address, is refused.
    public func refusal(url: String) -> String? {
        Self.host(ofURL: url).flatMap { refusal(literalHost: $0) }
    }

    /// Why `host` is refused once resolved: the first refused address it resolves to. Nil when every one may
    /// be reached, and when it does not resolve (the connection will say so).
    public func refusal(resolving host: String) -> String? {
        if let literal = refusal(literalHost: host) { return literal }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return nil }
        defer { freeaddrinfo(list) }
        var entry = list
        while let current = entry {
            if let address = current.pointee.ai_addr,
                let refused = refusal(socketAddress: UnsafeRawPointer(address), family: current.pointee.ai_family)
            {
                return "\(host) resolves to \(refused)"
            }
            entry = current.pointee.ai_next
        }
        return nil
    }

    /// `fe80::1`-style text for 16 bytes (groups without leading zeros; no `::` shortening).
    static func text(ipv6 a: [UInt8]) -> String {
        stride(from: 0, to: 16, by: 2).map { String(UInt16(a[$0]) << 8 | UInt16(a[$0 + 1]), radix: 16) }.joined(separator: ":")
    }
}
