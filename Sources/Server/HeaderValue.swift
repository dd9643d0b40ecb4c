/// Reading HTTP header values, which are ASCII: by Unicode scalar rather than by Character,
/// since some are read on every request.
enum HeaderValue {
    /// `text` without the spaces and tabs HTTP allows around values and parameters.
    static func trimmed(_ text: Substring) -> Substring {
        let scalars = text.unicodeScalars
        func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }
        guard let first = scalars.firstIndex(where: { !isBlank($0) }), let last = scalars.lastIndex(where: { !isBlank($0) }) else {
            return text[text.endIndex...]
        }
        return Substring(scalars[first...last])
    }

    /// The media type of a `Content-Type` value, lowercased, without its parameters.
    static func mediaType(_ value: String) -> String {
        // What nearly every client sends, answered without splitting and lowercasing.
        if value == "application/json" { return value }
        return trimmed(value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").lowercased()
    }
}
