// Package graphdb implements service/graph's ports with gorm: the ownership graph (guides, stores,
// customers, follow edges and their tags, groups, corp tags, ownership history) and the callback
// inbox (inbox_events), on MySQL or SQLite.
package graphdb
