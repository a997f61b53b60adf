// Package graph keeps the ownership graph in step with WeCom: the callback intake makes each
// callback durable in the inbox, workers claim inbox rows (under leases they renew while they work
// and whose token fences every write to the row), enrich events from WeCom outside any
// transaction and apply them to the graph (newest event wins per edge, idempotent), and
// reconciliation repairs drift against WeCom's own lists. Retention purges applied rows.
//
// It declares the ports it consumes: Store and InboxStore (implemented by repo), Directory
// (implemented by the wecom adapter) and HandoverOpener (implemented by service/handover, wired
// in cmd/guidebox), which hears of resigned guides and failed transfers.
package graph
