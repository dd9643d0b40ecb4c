import Crypto
import Foundation

/// The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL runs it: no channel
/// binding, and an empty user name (PostgreSQL takes it from the startup message). The server's final message is checked
/// too, so a server that does not know the password cannot pass for one that does.
struct ScramSHA256: Sendable {
    static let mechanism = "SCRAM-SHA-256"
    /// The channel-binding header: the client does not bind to the TLS channel.
    private static let header = "n,,"

    private let user: String
    private let password: String
    private let clientNonce: String
    private var authMessage = ""
    private var saltedPassword: [UInt8] = []

    init(user: String = "", password: String, nonce: String = ScramSHA256.makeNonce()) {
        // `,` and `=` are the message's own separators.
        self.user = user.replacingOccurrences(of: "=", with: "=3D").replacingOccurrences(of: ",", with: "=2C")
        self.password = password
        self.clientNonce = nonce
    }

    static func makeNonce() -> String {
        Data((0..<18).map { _ in UInt8.random(in: .min ... .max) }).base64EncodedString()
    }

    private var clientFirstBare: String { "n=\(user),r=\(clientNonce)" }

    var clientFirstMessage: [UInt8] { Array((Self.header + clientFirstBare).utf8) }

    /// The proof answering the server's first message (`r=…,s=…,i=…`).
    mutating func clientFinalMessage(answering serverFirst: [UInt8]) throws(AuthenticationError) -> [UInt8] {
        guard let text = String(bytes: serverFirst, encoding: .utf8) else { throw AuthenticationError("the server's SCRAM message is not UTF-8") }
        let attributes = Self.attributes(text)
        guard let nonce = attributes["r"], nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count,
              let saltText = attributes["s"], let salt = Data(base64Encoded: saltText),
              let iterationText = attributes["i"], let iterations = Int(iterationText), (1...10_000_000).contains(iterations) else {
            throw AuthenticationError("the server's SCRAM challenge is malformed")
        }
        saltedPassword = Self.pbkdf2(password: Array(password.utf8), salt: Array(salt), iterations: iterations)
        let finalWithoutProof = "c=\(Data(Self.header.utf8).base64EncodedString()),r=\(nonce)"
        authMessage = clientFirstBare + "," + text + "," + finalWithoutProof
        let clientKey = Self.hmac(saltedPassword, "Client Key")
        let storedKey = Array(SHA256.hash(data: clientKey))
        let signature = Self.hmac(storedKey, authMessage)
        let proof = zip(clientKey, signature).map { $0 ^ $1 }
        return Array((finalWithoutProof + ",p=" + Data(proof).base64EncodedString()).utf8)
    }

    /// Checks the server's signature (`v=…`).
    func verify(serverFinal: [UInt8]) throws(AuthenticationError) {
        let attributes = Self.attributes(String(decoding: serverFinal, as: UTF8.self))
        if let error = attributes["e"] { throw AuthenticationError("the server refused the SCRAM proof (\(error))") }
        let serverKey = Self.hmac(saltedPassword, "Server Key")
        let expected = Self.hmac(serverKey, authMessage)
        guard let signature = attributes["v"].flatMap({ Data(base64Encoded: $0) }), Array(signature) == expected else {
            throw AuthenticationError("the server's SCRAM signature does not match: it does not know the password")
        }
    }

    private static func attributes(_ text: String) -> [String: String] {
        var attributes: [String: String] = [:]
        for part in text.split(separator: ",") where part.count >= 2 && part.dropFirst().first == "=" {
            attributes[String(part.prefix(1))] = String(part.dropFirst(2))
        }
        return attributes
    }

    private static func hmac(_ key: [UInt8], _ message: String) -> [UInt8] {
        hmac(key, Array(message.utf8))
    }

    private static func hmac(_ key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// PBKDF2-HMAC-SHA-256 for one 32-byte block: `Hi()` of RFC 5802.
    static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let key = SymmetricKey(data: password)
        var block = Array(HMAC<SHA256>.authenticationCode(for: salt + [0, 0, 0, 1], using: key))
        var result = block
        for _ in 1..<iterations {
            block = Array(HMAC<SHA256>.authenticationCode(for: block, using: key))
            for index in result.indices { result[index] ^= block[index] }
        }
        return result
    }
}
