import Testing
@testable import SpindlePosix

@Suite struct HugePagesTests {
    @Test func theTunableIsAddedToWhatTheUserSetAndNeverTwice() {
        #expect(HugePages.tunables(adding: nil) == "glibc.malloc.hugetlb=1")
        #expect(HugePages.tunables(adding: "") == "glibc.malloc.hugetlb=1")
        #expect(HugePages.tunables(adding: "glibc.malloc.arena_max=2") == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1")
        // The user's own choice of the tunable stands, whatever its value.
        #expect(HugePages.tunables(adding: "glibc.malloc.hugetlb=0") == nil)
        #expect(HugePages.tunables(adding: "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2") == nil)
        // A longer name that merely starts with the tunable's is another tunable.
        #expect(HugePages.tunables(adding: "glibc.malloc.hugetlbx=1") == "glibc.malloc.hugetlbx=1:glibc.malloc.hugetlb=1")
    }

    @Test func spindleHugePagesTurnsThemOff() {
        #expect(HugePages.wanted(nil))
        #expect(HugePages.wanted("1"))
        for off in ["0", "off", "OFF", "false", "no"] { #expect(!HugePages.wanted(off)) }
    }

    @Test func onlyAKernelThatGivesHugePagesOnRequestIsAsked() {
        #expect(HugePages.onlyWhenAsked(enabled: "always [madvise] never\n"))
        #expect(!HugePages.onlyWhenAsked(enabled: "[always] madvise never\n"))
        #expect(!HugePages.onlyWhenAsked(enabled: "always madvise [never]\n"))
    }
}
