import SpindleCore
import Testing

@Suite struct HTTPRequestParserTests {
    func parse(_ text: String, chunk: Int = .max, parser: HTTPRequestParser = HTTPRequestParser()) -> HTTPRequestParser.Outcome {
        var p = parser
        let bytes = Array(text.utf8)
        var i = 0
        var outcome = HTTPRequestParser.Outcome.needMore
        while i < bytes.count {
            let end = min(bytes.count, i + chunk)
            outcome = p.feed(bytes[i..<end])
            if outcome != .needMore { return outcome }
            i = end
        }
        return outcome
    }

    @Test(arguments: [1, 3, 1000]) func aGetRequestParsesWhateverTheChunking(chunk: Int) {
        let outcome = parse("GET /api/job?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept:  */* \r\n\r\n", chunk: chunk)
        guard case .complete(let head) = outcome else { Issue.record("not complete: \(outcome)"); return }
        #expect(head.method == "GET")
        #expect(head.path == "/api/job")
        #expect(head.headers.map(\.name) == ["host", "accept"])
        #expect(head.headers.map(\.value) == ["127.0.0.1", "*/*"])
    }

    @Test func bareLineFeedsAreAccepted() {
        guard case .complete(let head) = parse("HEAD / HTTP/1.0\nHost: x\n\n") else { Issue.record("not complete"); return }
        #expect(head.method == "HEAD")
    }

    @Test func anIncompleteHeadNeedsMore() {
        #expect(parse("GET / HTTP/1.1\r\nHost: x\r\n") == .needMore)
    }

    @Test func aRequestLineOfOneMebibyteIsRefusedWith414() {
        let outcome = parse("GET /" + String(repeating: "a", count: 1 << 20) + " HTTP/1.1\r\n\r\n", chunk: 4096)
        guard case .refused(let status, _) = outcome else { Issue.record("not refused: \(outcome)"); return }
        #expect(status == 414)
    }

    @Test func tenThousandHeadersAreRefusedWith431() {
        let text = "GET / HTTP/1.1\r\n" + String(repeating: "a:b\r\n", count: 10_000) + "\r\n"
        let outcome = parse(text, chunk: 512)
        guard case .refused(let status, _) = outcome else { Issue.record("not refused: \(outcome)"); return }
        #expect(status == 431)
    }

    @Test func moreHeadersThanTheBoundAreRefusedEvenWhenSmall() {
        let text = "GET / HTTP/1.1\r\n" + String(repeating: "a:b\r\n", count: 11) + "\r\n"
        guard case .refused(let status, _) = parse(text, parser: HTTPRequestParser(maxHeadBytes: 8192, maxHeaders: 10)) else {
            Issue.record("not refused"); return
        }
        #expect(status == 431)
    }

    @Test(arguments: [
        ("POST / HTTP/1.1\r\n\r\n", 405),
        ("GET / HTTP/2.0\r\n\r\n", 505),
        ("GET nohost HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nno colon here\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n", 413),
        ("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 413),
        ("GET /a\u{1}b HTTP/1.1\r\n\r\n", 400),
    ])
    func malformedRequestsAreRefused(text: String, status: Int) {
        guard case .refused(let got, let reason) = parse(text) else { Issue.record("not refused: \(text)"); return }
        #expect(got == status, "\(reason)")
        #expect(!reason.isEmpty)
    }
}
