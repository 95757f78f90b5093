/// Text placed in HTML or XML (the UI's pages, the bench's SVG plot).
package enum MarkupText {
    /// `text` with `&`, `<`, `>`, `"` and `'` escaped, safe in element content and quoted attributes of both
    /// HTML and XML (`'` as `&#39;`, which both read).
    package static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
