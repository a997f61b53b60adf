package repotest

import (
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"
)

// BulkInsert writes rows into table with multi-row INSERTs of at most 1000 rows, from 4 connections
// at once (benchmarks load millions of rows this way, as a first import would). Each row holds the
// values of cols in order.
func BulkInsert(tb testing.TB, db *gorm.DB, table string, cols []string, rows [][]any) {
	tb.Helper()
	ph := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	chunks := make(chan [][]any)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for range 4 {
		wg.Go(func() {
			for chunk := range chunks {
				args := make([]any, 0, len(chunk)*len(cols))
				for _, r := range chunk {
					args = append(args, r...)
				}
				q := "INSERT INTO " + table + " (" + strings.Join(cols, ",") + ") VALUES " +
					strings.TrimSuffix(strings.Repeat(ph+",", len(chunk)), ",")
				if err := db.Exec(q, args...).Error; err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		})
	}
	for len(rows) > 0 {
		n := min(len(rows), 1000)
		chunks <- rows[:n]
		rows = rows[n:]
	}
	close(chunks)
	wg.Wait()
	if first != nil {
		tb.Fatalf("repotest: bulk insert into %s: %v", table, first)
	}
}
