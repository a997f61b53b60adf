// Package jobs runs guidebox's periodic jobs (the full reconciliation against WeCom, inbox
// retention, the handover get_unassigned_list sweep) on one replica at a time, by themselves.
//
// Every replica runs a Scheduler with the same jobs. Each tick it tries to take the lease of each
// job that is due: a row per job in the database (Store, implemented by repo/jobdb) that one
// replica wins with a single conditional UPDATE. A job is due when no live lease holds it and its
// last run began at least one period ago (a job that never ran is due one period after it was
// first scheduled, or at once when Job.FirstRunNow is set). The winner runs the job, renews the
// lease while it runs, and records the outcome; the other replicas find the lease, or the recent
// run, and skip it. A holder that stops renewing (killed, hung, partitioned) loses the job when
// its lease ends: the next replica to tick takes it over at once, and the old holder, if it wakes
// up, finds the lease gone and cancels its run.
//
// A table lease rather than MySQL's GET_LOCK: it works the same on MySQL, MariaDB, TiDB and the
// embedded SQLite (which has no GET_LOCK); it does not tie the job to one pooled connection
// whose loss would free the lock silently while the run goes on; and it remembers when the job
// last ran and how, which a lock cannot: that is what lets a replica starting just after another
// one's run skip it, and what `guidebox jobs` shows. Leases compare the replicas' clocks, which
// are assumed to agree to well within a lease (NTP), as the inbox and handover leases do.
package jobs
