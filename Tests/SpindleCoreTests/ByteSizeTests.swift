import Testing
@testable import SpindleCore

@Suite struct ByteSizeTests {
    static let sizes: [(text: String, bytes: Int)] = [
        ("0", 0), ("1048576", 1_048_576), ("999B", 999), ("999 b", 999),
        ("4KiB", 4096), ("4MiB", 4 << 20), ("1GiB", 1 << 30), ("2TiB", 2 << 40), ("1PiB", 1 << 50),
        ("4K", 4096), ("4M", 4 << 20), ("1G", 1 << 30), ("1T", 1 << 40),
        ("4KB", 4000), ("4MB", 4_000_000), ("1GB", 1_000_000_000), ("3TB", 3_000_000_000_000), ("1PB", 1_000_000_000_000_000),
        ("4kib", 4096), ("4mIb", 4 << 20), ("1gb", 1_000_000_000), ("4 MiB", 4 << 20), ("  64MiB ", 64 << 20),
        ("1.5GiB", 1_610_612_736), ("0.5K", 512), ("1.5 KB", 1500), ("0.1KiB", 102), ("2.25MiB", 2_359_296),
        ("007KiB", 7168), ("8191PiB", 8191 << 50),
    ]

    @Test(arguments: sizes)
    func parsesSizes(_ text: String, _ bytes: Int) {
        #expect(ByteSize.parse(text) == bytes)
    }

    @Test(arguments: [
        "", " ", "-1", "-1MiB", "MiB", "abc", "4 XB", "4MiBs", "4Mi", "1.5", "1.", ".5K", "1..5K",
        "1,5K", "+4K", "4 M B", "1e3", "0x10", "99999999999999999999", "8192PiB", "9223372036854775808",
        "1.1234567890123456789K",
    ])
    func rejectsBadSizes(_ text: String) {
        #expect(ByteSize.parse(text) == nil)
    }

    @Test func largestIntIsAccepted() {
        #expect(ByteSize.parse("9223372036854775807") == Int.max)
    }

    static let formats: [(bytes: Int, text: String)] = [
        (0, "0 B"), (999, "999 B"), (1023, "1023 B"), (1024, "1 KiB"), (1536, "1.5 KiB"),
        (512 << 20, "512 MiB"), (1_610_612_736, "1.5 GiB"), (1100, "1.07 KiB"), (1127, "1.1 KiB"),
        ((1 << 20) - 1, "1 MiB"), ((1 << 30) + (1 << 30) / 20, "1.05 GiB"), (2 << 40, "2 TiB"), (3 << 50, "3 PiB"),
        (-1536, "-1.5 KiB"),
    ]

    @Test(arguments: formats)
    func formatsWithBinaryUnits(_ bytes: Int, _ text: String) {
        #expect(ByteSize.format(bytes) == text)
    }

    @Test(arguments: [0, 1, 512, 1024, 4096, 64 << 20, 1_610_612_736, 5 << 40])
    func formattedExactSizesParseBack(_ bytes: Int) {
        #expect(ByteSize.parse(ByteSize.format(bytes)) == bytes)
    }
}
