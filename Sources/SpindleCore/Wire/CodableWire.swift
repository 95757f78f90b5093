import Foundation

/// Adapter giving any `Codable` type a wire encoding: declare `extension MyType: WireCodableViaCodable {}`.
///
/// This is the slow path: the value is stored as a length-prefixed JSON document (keys sorted, so equal values
/// encode to equal bytes; non-finite floats as the strings "NaN", "+Infinity", "-Infinity"). Prefer a hand-written
/// `WireCodable` conformance for types on hot paths. Decoding failures surface as `WireError.invalidValue`.
public protocol WireCodableViaCodable: WireCodable, Codable {}

extension WireCodableViaCodable {
    /// Appends the value as a varint length followed by its JSON encoding.
    /// Traps if the type's own `Encodable` implementation throws, since `encode(to:)` cannot report errors.
    public func encode(to writer: inout WireWriter) {
        let json: Data
        do {
            json = try CodableWireJSON.makeEncoder().encode(self)
        } catch {
            preconditionFailure("WireCodableViaCodable: encoding \(Self.self) as JSON failed: \(error)")
        }
        writer.writeLengthPrefixed(json)
    }

    /// Reads a length-prefixed JSON document and decodes it; any decoding error becomes `WireError.invalidValue`.
    public init(from reader: inout WireReader) throws {
        let raw = try reader.readLengthPrefixed()
        do {
            self = try CodableWireJSON.makeDecoder().decode(Self.self, from: Data(raw))
        } catch {
            throw WireError.invalidValue(type: "\(Self.self)", detail: CodableWireJSON.message(for: error))
        }
    }
}

/// JSON configuration shared by both directions of the Codable adapter.
private enum CodableWireJSON {
    static let positiveInfinity = "+Infinity"
    static let negativeInfinity = "-Infinity"
    static let nan = "NaN"

    /// A fresh encoder (JSONEncoder is a class; one per call keeps this free of shared mutable state).
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: positiveInfinity, negativeInfinity: negativeInfinity, nan: nan)
        return encoder
    }

    /// A fresh decoder matching `makeEncoder()`.
    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: positiveInfinity, negativeInfinity: negativeInfinity, nan: nan)
        return decoder
    }

    /// The decoder's own explanation of `error`, with the coding path when there is one.
    static func message(for error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return "\(error)" }
        let context: DecodingError.Context
        switch decodingError {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            context = c
        @unknown default:
            return "\(error)"
        }
        let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        var message = context.debugDescription
        if !path.isEmpty { message += " (at \(path))" }
        if let underlying = context.underlyingError { message += " [\(underlying)]" }
        return message
    }
}
