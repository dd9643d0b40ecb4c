import Foundation

/// Whether the database runs on this machine, from its URL: the embedded one (no URL), a Unix
/// socket, or a loopback host.
enum DatabaseLocation {
    static func isLocal(_ url: String?) -> Bool {
        guard let url else { return true }
        guard let components = URLComponents(string: url) else { return false }
        if let socket = components.queryItems?.first(where: { $0.name == "host" })?.value, socket.hasPrefix("/") { return true }
        let host = (components.host ?? "").lowercased()
        return host.isEmpty || host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]" || host.hasPrefix("/")
    }
}
