import SpindleCore

/// The one HTML document behind every page: inline CSS, inline script (``UIScript``), no external
/// resource. Live, the script fetches `/api/model` and polls it while the job runs; in a report the
/// models are embedded and the pages are switched by the URL's fragment (`#/timeline`).
enum UIPage {
    /// - Parameters:
    ///   - title: the job's name.
    ///   - embedded: the models of a report (one, or two to compare); nil for the live server.
    static func html(title: String, embedded: [JSONValue]?) -> String {
        let data =
            embedded.map { models in
                // "<" only occurs inside JSON strings, where \u003c means the same and cannot end the script element.
                let json = JSONValue.array(models).serialized().replacingOccurrences(of: "<", with: "\\u003c")
                return "<script type=\"application/json\" id=\"spindle-data\">\(json)</script>\n"
            } ?? ""
        let policy =
            embedded == nil
            ? ""
            : "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            \(policy)<meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Spindle: \(MarkupText.escape(title))</title>
            <style>\(css)</style>
            </head><body>
            <header><b>Spindle</b> <span id="job-title">\(MarkupText.escape(title))</span> <nav id="nav"></nav></header>
            <div id="errors"></div>
            <main id="main">Loading...</main>
            \(data)<script>\(UIScript.source)</script>
            </body></html>

            """
    }


    static let css = """
        body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
        header{background:#1d2430;color:#fff;padding:10px 18px;display:flex;gap:14px;align-items:baseline}
        header nav a{color:#cfe0ff;margin-right:12px;text-decoration:none}header nav a.on{color:#fff;font-weight:600;border-bottom:2px solid #7fb0ff}
        main{padding:14px 18px}h2{font-size:17px;margin:16px 0 8px}h3{font-size:15px;margin:12px 0 6px}
        table{border-collapse:collapse;background:#fff;margin-bottom:12px;font-variant-numeric:tabular-nums}
        th,td{border:1px solid #dde1e7;padding:3px 8px;text-align:left;vertical-align:top}th{background:#eef1f5;font-weight:600}
        td.n{text-align:right}.state-succeeded,.o-committed{color:#17803d}.state-failed,.o-failed,.o-lost,.state-lost{color:#c62828;font-weight:600}
        .state-running,.o-running{color:#1565c0}.o-cancelled,.o-rejected{color:#777}.skew{background:#ffe0b2;color:#8a4b00;padding:1px 6px;border-radius:3px;font-weight:600}
        .bar-outer{width:160px;height:10px;background:#e3e7ed;border-radius:5px;display:inline-block;vertical-align:middle}
        .bar-inner{height:10px;background:#3f7be0;border-radius:5px}.muted{color:#6b7380}.err{color:#c62828;white-space:pre-wrap}
        #errors:not(:empty){background:#ffebee;color:#b71c1c;padding:8px 18px}.cards{display:flex;gap:10px;flex-wrap:wrap;margin-bottom:10px}
        .card{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:8px 12px;min-width:120px}.card b{display:block;font-size:18px}
        svg text{font:11px system-ui,sans-serif}.cols{display:flex;gap:24px;flex-wrap:wrap}
        """
}
