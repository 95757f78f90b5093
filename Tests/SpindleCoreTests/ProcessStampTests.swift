import SpindleCore
import Testing

struct ProcessStampTests {
    @Test func recordRoundTrips() {
        let stamp = ProcessStamp(bootID: "3f1c0e2a-8b7d-4c1e-9a55-0123456789ab", pid: 4242, startTime: 987_654)
        #expect(ProcessStamp(text: stamp.text) == stamp)
    }

    @Test(arguments: [
        "", "pid 1\n", "spindle scratch owner v2\nboot b\npid 1\nstart 2\n", "spindle scratch owner v1\nboot b\npid x\nstart 2\n",
        "spindle scratch owner v1\nboot b\npid 0\nstart 2\n", "spindle scratch owner v1\nboot \npid 1\nstart 2\n",
        "spindle scratch owner v1\nboot b\npid 1\n", "spindle scratch owner v1\nboot b\npid 1\nstart -2\n",
    ])
    func anythingElseIsNotARecord(text: String) {
        #expect(ProcessStamp(text: text) == nil)
    }

    @Test func statLineIsReadFromTheLastParenthesis() throws {
        // The command name may hold spaces and parentheses.
        let line = "1234 (a) b (c) S 1 1234 1234 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 556677 1000 200 0 0 0 0 0\n"
        let stat = try #require(ProcessStamp.parseStat(line))
        #expect(stat.state == "S")
        #expect(stat.startTime == 556677)
        #expect(ProcessStamp.parseStat("1234 (x) S 1 2") == nil)
        #expect(ProcessStamp.parseStat("garbage") == nil)
    }
}
