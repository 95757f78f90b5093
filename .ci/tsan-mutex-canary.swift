// Shows that ThreadSanitizer cannot see Synchronization.Mutex on Linux: four threads update a dictionary
// only inside `withLock`, which is race-free, yet TSan reports "Swift access race" once the lock is
// contended (the lock is handed over through a futex, which TSan does not intercept). `.ci/tsan` runs this
// first: while it reports races, `.ci/tsan-triage` lists reports whose accesses are all inside `withLock`
// instead of failing on them.
import Dispatch
import Synchronization

final class Pool: Sendable {
    let entries = Mutex<[String: [Int]]>([:])
    func add(_ key: String) { entries.withLock { $0[key, default: []].append(1) } }
    func take(_ key: String) -> Int? { entries.withLock { $0[key]?.popLast() } }
}

let pool = Pool()
let group = DispatchGroup()
for _ in 0..<4 {
    DispatchQueue.global().async(group: group) {
        for _ in 0..<20_000 {
            pool.add("a")
            _ = pool.take("a")
        }
    }
}
group.wait()
