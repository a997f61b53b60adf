// Package handoverdb implements handover.Store with gorm: cases, items, send batches, the admin
// audit log, and the few graph reads and writes a handover needs (candidates, loads, inheritance).
package handoverdb
