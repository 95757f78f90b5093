import SpindleCore
import SpindlePosix

extension Coordinator {
    /// Starts this run's journal, or continues the journal of the run it resumes (``CoordinatorOptions/resume``)
    /// under a new epoch. A damaged last record is reported in one line (console and event `journal_damaged`)
    /// and cut off.
    /// - Throws: ``SystemError`` when the journal cannot be written: the run MUST NOT start without one.
    func openJournal() throws -> CoordinatorJournal {
        let path = CoordinatorJournal.path(in: options.output)
        guard let resume = options.resume else {
            return try CoordinatorJournal.create(at: path, plan: JournalSetup.plan(options), epoch: 0)
        }
        let contents = try CoordinatorJournal.read(at: path)
        if let damage = contents.damagedTail {
            console.log("the journal's last record is damaged and ignored: \(damage)")
            events.record("journal_damaged", [("cause", .string(damage))])
        }
        let journal = try CoordinatorJournal.reopen(at: path, contents: contents, epoch: resume.epoch)
        var fields: [(String, JSONValue)] = [
            ("epoch", .int(resume.epoch)), ("committed_tasks", .int(resume.committedReduces.count + resume.committedMaps.count)),
        ]
        var what = "\(resume.committedReduces.count) committed task(s)"
        if let checkpoint = resume.newestCheckpoint {
            fields.append(("checkpoint", .int(checkpoint.superstep)))
            what = "the checkpoint of superstep \(checkpoint.superstep)"
        }
        if let last = resume.lastSuperstep { fields.append(("last_superstep", .int(last))) }
        events.record("job_resumed", fields)
        console.log("resuming \(options.job.name) in \(options.output.directory) (epoch \(resume.epoch)) from \(what)")
        return journal
    }

    /// Keeps the event log of the run being resumed as `_logs/events-epoch-N.jsonl` (N: its last epoch), so the
    /// resumed run's `events.jsonl` does not overwrite it. Best effort.
    static func keepEventLog(of output: OutputCommitter, epoch: Int) {
        let current = output.logDirectory + "/events.jsonl"
        guard FileSystem.exists(current) else { return }
        try? FileSystem.rename(current, to: output.logDirectory + "/events-epoch-\(epoch - 1).jsonl")
    }
}

extension Coordinator {
    /// Offers the outputs a worker joining a resumed run still serves (``WorkerInfo/servedOutputs``) to the driver,
    /// which reuses those its journal committed. Only before the job starts: once stages are added, their tasks
    /// may be running already, and a late worker's outputs are not needed.
    func offerServedOutputs(of worker: WorkerID, info: WorkerInfo) {
        guard options.resume != nil, !started, !info.servedOutputs.isEmpty else { return }
        events.record("worker_rejoined", [("worker", .int(Int(worker.rawValue))), ("served_outputs", .int(info.servedOutputs.count))])
        driver.workerRejoined(worker, serving: info.servedOutputs, control: self)
    }
}
