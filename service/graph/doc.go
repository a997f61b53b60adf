// Package graph keeps the ownership graph in step with WeCom: the callback intake makes each
// callback durable in the inbox, workers claim inbox rows (under leases they renew while they work
// and whose token fences every write to the row), enrich events from WeCom outside any
// transaction and apply them to the graph (newest event wins per edge, idempotent), and
// reconciliation repairs drift against WeCom's own lists. Retention purges applied rows.
//
// WeCom's call limits make reads the scarce resource (prepare.go, plan.go, patience.go): a round's
// reads are each made once for every event that needs them, an event a newer read answered needs
// none, a guide's waiting customers are read with batch/get_by_user when that takes fewer calls, and
// while the budget is short or events flood in, reads that answer few events wait for fuller ones.
// A card opened ahead of the backlog is read at once (ReadNow, the sidebar's ContactReader).
//
// It declares the ports it consumes: Store and InboxStore (implemented by repo), Directory
// (implemented by the wecom adapter) and HandoverOpener (implemented by service/handover, wired
// in cmd/guidebox), which hears of resigned guides and failed transfers.
package graph
