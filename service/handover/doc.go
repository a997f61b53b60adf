// Package handover moves the customers and groups of guides who left (离职继承) and between
// working guides (在职转接) as durable cases that account for every customer.
//
// A Service is four parts over one set of dependencies: Cases opens cases (from delete_user,
// get_unassigned_list reconciliation or an admin) and collects their items; Planner chooses a taker
// for each item and carries the admin's changes; Runner sends batches of 100 to WeCom, polls the
// results and writes completed transfers to the graph, under a lease so one replica runs a case at
// a time; Views answers the admin pages. No WeCom call happens inside a transaction.
//
// Its ports are Store (repo) and TransferAPI (the wecom adapter).
package handover
