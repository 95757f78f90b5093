import SpindleCore
import SpindlePosix

/// The shared secret that authenticates workers and coordinator: raw bytes, never decoded as text, so two
/// different secrets never compare equal.
///
/// Rules (as OpenSSH applies to private keys): at least ``RuntimeDefaults/minimumSecretLength`` bytes; a
/// secret file must not be accessible to group or others; exactly one trailing `\n` or `\r\n` is dropped,
/// from the file and from `SPINDLE_SECRET` alike, so `base64 > secret` on one side matches the same text
/// in the environment on the other.
enum SharedSecret {
    /// How a user makes a good secret, quoted in the errors.
    static let recipe = "make one with `head -c 32 /dev/urandom | base64 > secret; chmod 600 secret`"

    /// Reads the secret from `file` or else from `SPINDLE_SECRET`.
    /// - Throws: ``UsageError`` (exit 2) when neither is given, the file cannot be read or is open to group or
    ///   others, or the secret is shorter than the minimum.
    static func load(file: String?, purpose: String) throws(UsageError) -> [UInt8] {
        if let file {
            let mode: UInt32
            do { mode = try FileSystem.permissions(file) } catch {
                throw UsageError("cannot read the secret file '\(file)' (\(error.message)); check the path and its permissions")
            }
            guard mode & 0o077 == 0 else {
                throw UsageError(
                    "the secret file '\(file)' is accessible by group or others (mode \(String(mode, radix: 8))); run `chmod 600 \(file)`")
            }
            guard let bytes = try? FileSystem.readFile(file) else {
                throw UsageError("cannot read the secret file '\(file)'; check the path and its permissions")
            }
            return try validated(trimmingOneLineEnd(bytes), source: "the secret file '\(file)'")
        }
        if let value = SystemInfo.environmentBytes(RuntimeDefaults.secretEnvironment), !value.isEmpty {
            return try validated(trimmingOneLineEnd(value), source: RuntimeDefaults.secretEnvironment)
        }
        throw UsageError("\(purpose) needs the shared secret: pass --secret-file PATH or set \(RuntimeDefaults.secretEnvironment); \(recipe)")
    }

    /// `bytes` without exactly one trailing `\n` or `\r\n` (other whitespace is part of the secret).
    static func trimmingOneLineEnd(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.last == UInt8(ascii: "\n") else { return bytes }
        let withoutLF = bytes.dropLast()
        return Array(withoutLF.last == UInt8(ascii: "\r") ? withoutLF.dropLast() : withoutLF)
    }

    /// `secret` if it is long enough.
    static func validated(_ secret: [UInt8], source: String) throws(UsageError) -> [UInt8] {
        guard secret.count >= RuntimeDefaults.minimumSecretLength else {
            throw UsageError(
                "the shared secret from \(source) is \(secret.count) bytes long, but at least \(RuntimeDefaults.minimumSecretLength) are required; \(recipe)")
        }
        return secret
    }

    /// A fresh random secret for one job's local workers: 32 random bytes as 64 hex digits, ASCII so it
    /// passes unchanged through the environment to the children.
    static func random() -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return SecureRandom.bytes(32).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }
    }
}
