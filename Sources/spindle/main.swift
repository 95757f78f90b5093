import Spindle
import SpindleJobs

Spindle.main(jobs: BuiltinJobs.all)
