package main

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/repo/autotagdb"
	"github.com/guidebox/guidebox/repo/recommenddb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/autotag"
	"github.com/guidebox/guidebox/service/jobs"
	"github.com/guidebox/guidebox/service/recommend"
	"github.com/guidebox/guidebox/wecom"
)

// RecommendConfig is the recommend section (recommend.*): the recommendations' precomputed index.
type RecommendConfig struct {
	// RebuildInterval is how often the index (co-purchase, store best sellers, repurchase cycles) is
	// rebuilt from the orders, by one replica; every replica loads the new one. 0 turns the job off.
	RebuildInterval time.Duration `mapstructure:"rebuild_interval"`
}

// AutoTagsConfig is the autotags section (autotags.*): the auto-tag rules' nightly pass and WeCom marks.
type AutoTagsConfig struct {
	PassInterval time.Duration `mapstructure:"pass_interval"` // the pass over every customer with orders; 0 off
	MarkInterval time.Duration `mapstructure:"mark_interval"` // writing the rules' tags to WeCom (mark_tag); 0 off
}

// The scheduled jobs of the recommendations and the auto-tags.
const (
	jobRecommendRebuild = "recommend.rebuild" // recommend.rebuild_interval
	jobAutoTagPass      = "autotags.pass"     // autotags.pass_interval
	jobAutoTagMarks     = "autotags.marks"    // autotags.mark_interval
)

func (c Config) checkRecommend(v *checker) {
	v.duration("recommend.rebuild_interval", c.Recommend.RebuildInterval, time.Minute, true)
	v.duration("autotags.pass_interval", c.AutoTags.PassInterval, time.Minute, true)
	v.duration("autotags.mark_interval", c.AutoTags.MarkInterval, 10*time.Second, true)
}

// newRecommendations wires the recommendations (sidebar's Recommender) and the auto-tags, whose
// evaluation the catalogue's orders trigger; a created rule tag is read into the graph at once.
func (a *app) newRecommendations() {
	corp := a.cfg.WeCom.CorpID
	a.recommend = recommend.New(recommend.Config{}, recommenddb.New(a.db, corp), a.log)
	a.autotags = autotag.New(autotag.Config{}, autotagdb.New(a.db, corp), wecom.NewAutoTags(a.wc),
		a.newGraphService(nil).SyncDirectory, a.log)
	a.catalog.Observe(a.autotags)
}

// recommendJobs are the index rebuild (at once on a new deployment, then every period), the nightly
// auto-tag pass and the writing of rule tags to WeCom. An intake-only replica (worker.enabled: false)
// runs none of them. a's services may be nil where the jobs are only listed.
func (a *app) recommendJobs() []jobs.Job {
	var rebuild, pass, marks time.Duration
	if a.cfg.Worker.Enabled {
		rebuild, pass, marks = a.cfg.Recommend.RebuildInterval, a.cfg.AutoTags.PassInterval, a.cfg.AutoTags.MarkInterval
	}
	return []jobs.Job{
		{Name: jobRecommendRebuild, Every: rebuild, FirstRunNow: true, Run: func(ctx context.Context) error {
			rep, err := a.recommend.Rebuild(ctx)
			if err == nil {
				a.log.InfoContext(ctx, "recommendations index rebuilt", "generation", rep.Generation, "lines", rep.Lines,
					"skus", rep.SKUs, "neighbors", rep.Neighbors, "cycles", rep.Cycles, "bytes", rep.Bytes, "took", rep.Took.String())
			}
			return err
		}},
		{Name: jobAutoTagPass, Every: pass, Run: func(ctx context.Context) error {
			start := time.Now()
			rep, err := a.autotags.RunPass(ctx)
			a.log.InfoContext(ctx, "auto-tag pass", "customers", rep.Customers, "added", rep.Added, "removed", rep.Removed,
				"marks", rep.Marks, "took", time.Since(start).Round(time.Millisecond).String())
			return err
		}},
		{Name: jobAutoTagMarks, Every: marks, Run: func(ctx context.Context) error {
			rep, err := a.autotags.PushMarks(service.WithLane(ctx, service.LaneBackground))
			if rep.Calls > 0 || rep.Failed > 0 {
				a.log.InfoContext(ctx, "auto-tags written to WeCom", "calls", rep.Calls, "written", rep.Written, "skipped", rep.Skipped,
					"failed", rep.Failed, "waiting_for_budget", rep.Waiting)
			}
			return err
		}},
	}
}
