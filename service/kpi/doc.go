// Package kpi keeps the guides' performance numbers (导购三率: 登录率、分享率、成交率, and the customer
// counts) as daily rollups per guide, per store and per corp, folded from the activity log.
//
// Raw events are the activity log's rows (sidebar opens, product shares, material and reply sends,
// tasks done, customers added and lost, handovers, orders paid and refunded), read in id order past a
// watermark. Each Step reads one batch, folds it into per-guide-day deltas and applies them together
// with the new watermark in one transaction: a crash between the read and the write leaves both
// untouched, and the batch is read again. Rebuild resets the rollups (all, or the days of a range) and
// replays the same events through the same fold, so a rebuild gives what the increments gave.
//
// Attribution of an order (成交): the last guide who sent the customer something (a product card, a
// material or a quick reply) within AttributionDays before the payment, among the events recorded
// before the order's; else the customer's owner at the payment (the ownership history). A send
// recorded after the order never takes its credit, which is what makes the attribution the same
// whether it is computed as the events arrive or in a rebuild. A refund subtracts from the guide the
// order was credited to, on the refund's day.
//
// Days are calendar days in the corp's time zone (Config.Location, Asia/Shanghai by default). The
// rates are over guide-days and customer-days so that any period is a sum of days (see Rates).
// Ports: Store (repo/kpidb).
package kpi
