import Spindle
import SpindleJobs
import SpindleTools

Spindle.main(jobs: BuiltinJobs.all, tools: SpindleTools.commands)
