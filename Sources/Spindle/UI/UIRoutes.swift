import SpindleCore

/// What the UI server answers for a path: a page (the same HTML for every page; its script renders the
/// page from the JSON), a JSON document under `/api/`, or 404. Pure.
enum UIRoutes {
    struct Response {
        var status: Int
        var contentType: String
        var body: [UInt8]
    }

    /// Only inline script and style, JSON from this server, nothing from anywhere else.
    static let contentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:"

    /// The page paths: `/`, `/workers`, `/stages/N`, `/timeline`, `/supersteps`.
    static func isPage(_ path: Substring) -> Bool {
        if ["/", "/job", "/workers", "/timeline", "/supersteps", "/stages"].contains(path) { return true }
        return path.hasPrefix("/stages/") && Int(path.dropFirst("/stages/".count)) != nil
    }

    static func response(for path: Substring, model: JobModel, now: Double) -> Response {
        if isPage(path) {
            return Response(status: 200, contentType: "text/html; charset=utf-8", body: Array(UIPage.html(title: model.job, embedded: nil).utf8))
        }
        if path.hasPrefix("/api/"), let document = model.document(path.dropFirst("/api/".count), now: now) {
            return Response(status: 200, contentType: "application/json", body: Array(document.serialized().utf8))
        }
        return Response(
            status: 404, contentType: "text/plain; charset=utf-8", body: Array("404 Not Found: no page or document at this path; start at /\n".utf8))
    }

    static func statusText(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 431: "Request Header Fields Too Large"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Error"
        }
    }
}
