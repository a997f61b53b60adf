// Package sidebardb implements sidebar.Store with gorm: the reads behind the guide sidebar's cards
// (edges with guide names, tags by group, the last handover), tag edits and shares; the catalogue is repo/catalogdb.
package sidebardb
