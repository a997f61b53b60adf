// Package catalogdb implements catalog.Store with gorm: products and their stock per store
// (products, product_stock), orders and their lines (orders, order_lines), and the graph's stores and
// tags that files name. It also serves sidebar.ProductStore, the sidebar's reads of the catalogue.
package catalogdb
