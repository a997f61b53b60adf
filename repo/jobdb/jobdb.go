// Package jobdb implements jobs.Store with gorm: one row of job_leases per scheduled job and corp,
// taken, renewed and released by single conditional UPDATEs, so the lease works the same on MySQL,
// MariaDB, TiDB and SQLite.
package jobdb

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/jobs"
)

// Store implements jobs.Store for one corp.
type Store struct {
	db   *gorm.DB
	corp string
}

var _ jobs.Store = (*Store)(nil)

// New returns the job lease store of corpID.
func New(db *gorm.DB, corpID string) *Store {
	return &Store{db: db, corp: corpID}
}

type leaseRow struct {
	CorpID     string `gorm:"primaryKey"`
	Name       string `gorm:"primaryKey"`
	Holder     string
	LeaseUntil *time.Time
	LastRunAt  *time.Time
	LastDoneAt *time.Time
	LastOKAt   *time.Time `gorm:"column:last_ok_at"`
	LastError  string
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
}

func (leaseRow) TableName() string { return "job_leases" }

// Acquire implements jobs.Store: one UPDATE whose WHERE is the due condition takes the job's row;
// the row lock makes the concurrent UPDATEs of other replicas re-read the row and find it taken.
// A job without a row yet gets one (its schedule starts then) and is tried once more.
func (s *Store) Acquire(ctx context.Context, c jobs.Claim) (bool, error) {
	ok, err := s.take(ctx, c)
	if ok || err != nil {
		return ok, err
	}
	first := leaseRow{CorpID: s.corp, Name: c.Name, CreatedAt: c.Now.UTC()}
	res := sqlstore.Conn(ctx, s.db).Clauses(clause.OnConflict{DoNothing: true}).Create(&first)
	if res.Error != nil || res.RowsAffected == 0 { // the row was there: the job is not due
		return false, sqlstore.Translate(res.Error)
	}
	return s.take(ctx, c)
}

// take runs the UPDATE that leases a due job to c.Holder.
func (s *Store) take(ctx context.Context, c jobs.Claim) (bool, error) {
	now := c.Now.UTC()
	cutoff := now.Add(-c.Every)
	firstCutoff := cutoff // never run: due a period after the row was created, or at once
	if c.FirstRunNow {
		firstCutoff = now
	}
	res := sqlstore.Conn(ctx, s.db).Exec(`UPDATE job_leases SET holder = ?, lease_until = ?, last_run_at = ?
		WHERE corp_id = ? AND name = ? AND (
		  (lease_until IS NULL AND (last_run_at <= ? OR (last_run_at IS NULL AND created_at <= ?)))
		  OR lease_until < ?)`,
		sqlstore.Clip(c.Holder, 128), now.Add(c.Lease), now, s.corp, c.Name, cutoff, firstCutoff, now)
	if res.Error != nil {
		return false, sqlstore.Translate(res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Renew implements jobs.Store.
func (s *Store) Renew(ctx context.Context, name, holder string, now time.Time, lease time.Duration) (bool, error) {
	mine := "corp_id = ? AND name = ? AND holder = ? AND lease_until IS NOT NULL"
	holder = sqlstore.Clip(holder, 128)
	res := sqlstore.Conn(ctx, s.db).Model(&leaseRow{}).Where(mine, s.corp, name, holder).
		Update("lease_until", now.UTC().Add(lease))
	if err := sqlstore.Translate(res.Error); err != nil || res.RowsAffected == 1 {
		return err == nil, err
	}
	// MySQL counts changed rows only: an unchanged lease_until is still holder's.
	var n int64
	err := sqlstore.Conn(ctx, s.db).Model(&leaseRow{}).Where(mine, s.corp, name, holder).Count(&n).Error
	return n == 1, sqlstore.Translate(err)
}

// Finish implements jobs.Store. A finished run clears the lease; an interrupted one leaves it
// expired at r.At, which any replica's next Acquire takes over.
func (s *Store) Finish(ctx context.Context, r jobs.Result) (bool, error) {
	at := r.At.UTC()
	set := map[string]any{"lease_until": nil, "last_done_at": at, "last_error": sqlstore.Clip(r.Err, 1000)}
	if r.Err == "" {
		set["last_ok_at"] = at
	}
	if r.Interrupted {
		set["lease_until"] = at
	}
	res := sqlstore.Conn(ctx, s.db).Model(&leaseRow{}).
		Where("corp_id = ? AND name = ? AND holder = ? AND lease_until IS NOT NULL", s.corp, r.Name, sqlstore.Clip(r.Holder, 128)).
		Updates(set)
	if res.Error != nil {
		return false, sqlstore.Translate(res.Error)
	}
	return res.RowsAffected == 1, nil
}

// List implements jobs.Store.
func (s *Store) List(ctx context.Context) ([]jobs.State, error) {
	var rows []leaseRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ?", s.corp).Order("name").Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]jobs.State, len(rows))
	for i, r := range rows {
		out[i] = jobs.State{Name: r.Name, Holder: r.Holder, LeaseUntil: sqlstore.UTCPtr(r.LeaseUntil), LastRunAt: sqlstore.UTCPtr(r.LastRunAt),
			LastDoneAt: sqlstore.UTCPtr(r.LastDoneAt), LastOKAt: sqlstore.UTCPtr(r.LastOKAt), LastError: r.LastError, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}
