package recommenddb

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/recommend"
)

type chunkRow struct {
	CorpID     string `gorm:"primaryKey"`
	Generation int64  `gorm:"primaryKey;autoIncrement:false"`
	Kind       string `gorm:"primaryKey"`
	Chunk      int    `gorm:"primaryKey;autoIncrement:false"`
	Data       string
}

func (chunkRow) TableName() string { return "rec_index" }

type metaRow struct {
	CorpID     string `gorm:"primaryKey"`
	Generation int64
	BuiltAt    time.Time
	LinesRead  int64
	TookMs     int64
}

func (metaRow) TableName() string { return "rec_index_meta" }

// SaveIndex writes the chunks as the generation after the current one (a statement per chunk, outside
// any transaction: readers still load the current one), then makes it current and drops the older
// generations in one transaction.
func (s *Store) SaveIndex(ctx context.Context, chunks []recommend.Chunk, meta recommend.IndexMeta) (int64, error) {
	var gens []int64
	if err := sqlstore.Conn(ctx, s.db).Model(&chunkRow{}).Where("corp_id = ?", s.corp).Distinct().Pluck("generation", &gens).Error; err != nil {
		return 0, sqlstore.Translate(err)
	}
	var cur []int64 // an index without chunks (no orders yet) has a generation all the same
	if err := sqlstore.Conn(ctx, s.db).Model(&metaRow{}).Where("corp_id = ?", s.corp).Pluck("generation", &cur).Error; err != nil {
		return 0, sqlstore.Translate(err)
	}
	gen := int64(1)
	for _, g := range append(gens, cur...) {
		gen = max(gen, g+1)
	}
	for _, c := range chunks {
		row := chunkRow{CorpID: s.corp, Generation: gen, Kind: c.Kind, Chunk: c.No, Data: c.Data}
		if err := sqlstore.Conn(ctx, s.db).Create(&row).Error; err != nil {
			return 0, sqlstore.Translate(err)
		}
	}
	err := repo.NewTxManager(s.db).InTx(ctx, func(ctx context.Context) error {
		db := sqlstore.Conn(ctx, s.db)
		m := metaRow{CorpID: s.corp, Generation: gen, BuiltAt: meta.BuiltAt.UTC(), LinesRead: meta.Lines, TookMs: meta.Took.Milliseconds()}
		if err := db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&m).Error; err != nil {
			return err
		}
		return db.Where("corp_id = ? AND generation < ?", s.corp, gen).Delete(&chunkRow{}).Error
	})
	return gen, sqlstore.Translate(err)
}

// IndexMeta reads the current generation.
func (s *Store) IndexMeta(ctx context.Context) (recommend.IndexMeta, error) {
	var m metaRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ?", s.corp).Take(&m).Error; err != nil {
		return recommend.IndexMeta{}, sqlstore.Translate(err)
	}
	return recommend.IndexMeta{Generation: m.Generation, BuiltAt: m.BuiltAt.UTC(), Lines: m.LinesRead,
		Took: time.Duration(m.TookMs) * time.Millisecond}, nil
}

// IndexChunks reads a generation's chunks in order.
func (s *Store) IndexChunks(ctx context.Context, generation int64) ([]recommend.Chunk, error) {
	var rows []chunkRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND generation = ?", s.corp, generation).Order("kind, chunk").
		Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]recommend.Chunk, len(rows))
	for i, r := range rows {
		out[i] = recommend.Chunk{Kind: r.Kind, No: r.Chunk, Data: r.Data}
	}
	return out, nil
}
