import Glibc

/// An IPv4 or IPv6 socket address (internal): resolution with getaddrinfo and numeric formatting.
struct SocketAddress {
    var storage = sockaddr_storage()
    var length: socklen_t = socklen_t(MemoryLayout<sockaddr_storage>.size)

    init() {}

    init(_ address: UnsafePointer<sockaddr>, length: socklen_t) {
        let n = min(Int(length), MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutableBytes(of: &storage) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(start: address, count: n))
        }
        self.length = socklen_t(n)
    }

    var family: Int32 { Int32(storage.ss_family) }

    /// The port in host byte order (0 for other families).
    var port: UInt16 {
        withUnsafeBytes(of: storage) { raw in
            switch family {
            case AF_INET: return UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port)
            case AF_INET6: return UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port)
            default: return 0
            }
        }
    }

    /// "127.0.0.1:54321" or "[::1]:7070".
    var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let ok: Bool = withUnsafeBytes(of: storage) { raw in
            switch family {
            case AF_INET:
                var a = raw.load(as: sockaddr_in.self).sin_addr
                return inet_ntop(AF_INET, &a, &text, socklen_t(text.count)) != nil
            case AF_INET6:
                var a = raw.load(as: sockaddr_in6.self).sin6_addr
                return inet_ntop(AF_INET6, &a, &text, socklen_t(text.count)) != nil
            default:
                return false
            }
        }
        guard ok else { return "<family \(family)>" }
        let host = text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Calls `body` with this address as a `sockaddr` pointer and its length.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: storage) { raw in
            try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)
        }
    }

    /// The address of the peer (`peer == true`) or local end of `fd`.
    static func of(fd: Int32, peer: Bool) throws(SystemError) -> SocketAddress {
        var result = SocketAddress()
        let name = peer ? "getpeername" : "getsockname"
        try SystemError.check(name) {
            withUnsafeMutableBytes(of: &result.storage) { raw in
                let sa = raw.baseAddress!.assumingMemoryBound(to: sockaddr.self)
                return peer ? getpeername(fd, sa, &result.length) : getsockname(fd, sa, &result.length)
            }
        }
        return result
    }

    /// Resolves `host` (name or numeric, IPv4 or IPv6) and `port` for TCP.
    /// `passive` resolves for bind (an empty host then means "any address").
    /// A bracketed IPv6 literal ("[::1]") is accepted too.
    static func resolve(host rawHost: String, port: UInt16, passive: Bool) throws(SystemError) -> [SocketAddress] {
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") && rawHost.count >= 2
            ? String(rawHost.dropFirst().dropLast()) : rawHost
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = LibC.sockStream
        hints.ai_protocol = Int32(IPPROTO_TCP)
        hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let code: Int32 = host.isEmpty
            ? getaddrinfo(nil, String(port), &hints, &list)
            : getaddrinfo(host, String(port), &hints, &list)
        if code != 0 {
            let errnoValue = code == EAI_SYSTEM ? Glibc.errno : code
            throw SystemError(call: "getaddrinfo", errno: errnoValue, context: "for \(host):\(port)")
        }
        defer { freeaddrinfo(list) }
        var out: [SocketAddress] = []
        var node = list
        while let info = node {
            if let sa = info.pointee.ai_addr,
               info.pointee.ai_family == AF_INET || info.pointee.ai_family == AF_INET6 {
                out.append(SocketAddress(sa, length: info.pointee.ai_addrlen))
            }
            node = info.pointee.ai_next
        }
        if out.isEmpty {
            throw SystemError(call: "getaddrinfo", errno: EAI_NONAME, context: "for \(host):\(port)")
        }
        return out
    }
}
