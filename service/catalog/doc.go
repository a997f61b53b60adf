// Package catalog is the product catalogue and the orders of a corp: products with their stock per
// store, imported from and exported to CSV/XLSX files with a report of every refused row; orders
// the retailer's POS or mini-program posts (idempotent by order id, refunds as a status change);
// the customer's latest orders for the sidebar card (it implements sidebar's OrderSource).
//
// Its ports are Store (repo/catalogdb), Rows and RowWriter (the sheet package reads and writes the
// files) and service.Transactor.
//
// The schema is laid out for the recommendations that read it (migration 0007): stock by store and
// SKU (product_stock's key), a customer's orders by time (orders.idx_orders_customer), order lines by
// customer, by store over a time window and by SKU (order_lines carries each order's customer, store,
// time and refund). An order known only by unionid is stored unlinked (an empty external_userid); reads of
// a customer's orders also match the customer's unionid, and LinkOrders, run periodically, writes the
// link into orders and lines once the customer exists.
package catalog
