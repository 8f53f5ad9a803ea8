"""The TCP port sweep at scale: host batches, time limits that follow the work, a rate that
adapts to what the machine receives, and a per-host port plan (:mod:`scanner.sweep.plan`)."""
