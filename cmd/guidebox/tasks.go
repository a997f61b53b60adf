package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/guidebox/guidebox/repo/catalogdb"
	"github.com/guidebox/guidebox/repo/tasksdb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/jobs"
	"github.com/guidebox/guidebox/service/tasks"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// TasksConfig is the tasks section of the config (tasks.*): 导购任务 and their WeCom 群发.
type TasksConfig struct {
	SweepInterval time.Duration `mapstructure:"sweep_interval"` // the scheduled job that runs due tasks; 0 turns it off
	PollInterval  time.Duration `mapstructure:"poll_interval"`  // how often a task's completion is read from WeCom
	RemindBefore  time.Duration `mapstructure:"remind_before"`  // one WeCom reminder this long before the deadline; 0: none
	Lease         time.Duration `mapstructure:"lease"`
}

// jobTasks runs due tasks (create 群发, read completion, remind, close) on one replica at a time.
const jobTasks = "tasks.sweep"

func (c Config) checkTasks(v *checker) {
	t := c.Tasks
	v.duration("tasks.sweep_interval", t.SweepInterval, 10*time.Second, true)
	v.duration("tasks.poll_interval", t.PollInterval, time.Minute, false)
	v.duration("tasks.remind_before", t.RemindBefore, time.Minute, true)
	v.duration("tasks.lease", t.Lease, 10*time.Second, false)
}

// newTasksService wires the tasks service over the app's database and WeCom client, with the
// sidebar's products as its catalogue and the workbench's corp materials and pipeline stages.
func newTasksService(a *app) (*tasks.Service, error) {
	wb, err := a.newWorkbench()
	if err != nil {
		return nil, err
	}
	t := a.cfg.Tasks
	remind := t.RemindBefore
	if remind == 0 {
		remind = -1 // off
	}
	cfg := tasks.Config{Owner: workerName(), Lease: t.Lease, PollInterval: t.PollInterval, RemindBefore: remind}
	deps := tasks.Deps{Catalog: productCatalog{a.products}, Materials: taskMaterials{wb}, Stages: taskStages{wb}}
	return tasks.New(cfg, tasksdb.New(a.db, a.cfg.WeCom.CorpID), wecom.NewMass(a.wc), a.tx, deps, a.log)
}

// tasksJob is the scheduled sweep of due tasks; svc may be nil where jobs are only listed. An
// intake-only replica (worker.enabled: false) takes no tasks.
func (a *app) tasksJob(svc *tasks.Service) jobs.Job {
	every := a.cfg.Tasks.SweepInterval
	if !a.cfg.Worker.Enabled {
		every = 0
	}
	return jobs.Job{Name: jobTasks, Every: every, FirstRunNow: true, Run: func(ctx context.Context) error {
		n, err := svc.RunDue(service.WithLane(ctx, service.LaneBackground))
		if n > 0 {
			a.log.InfoContext(ctx, "tasks run", "tasks", n)
		}
		return err
	}}
}

// productCatalog is tasks.Catalog over the catalogue's products.
type productCatalog struct{ store *catalogdb.Store }

// ProductCards reads the active products among ids.
func (p productCatalog) ProductCards(ctx context.Context, ids []string) ([]tasks.ProductCard, error) {
	var out []tasks.ProductCard
	for _, id := range ids {
		pr, err := p.store.GetProduct(ctx, id)
		if errors.Is(err, service.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("product %s: %w", id, err)
		}
		out = append(out, tasks.ProductCard{ID: pr.SKU, Name: pr.Name, Description: pr.Description, PriceCents: pr.PriceFen,
			ImageURL: pr.ImageURL, LinkURL: pr.LinkURL})
	}
	return out, nil
}

// seedDemoTask gives the offline demo a task on its first start: every store's guides are asked to
// send a product card with a text; each gets the 群发 in the simulator, and the sidebar home shows it.
// A demo database that already holds tasks is left as it is.
func seedDemoTask(ctx context.Context, svc *tasks.Service, log *slog.Logger) {
	existing, err := svc.List(ctx, tasks.TaskFilter{Limit: 1}, tasks.AllStores)
	if err != nil || len(existing) > 0 {
		return
	}
	var stores []int64
	for _, d := range sim.DemoCorp(1).Departments {
		if d.ParentID != 0 { // the stores under the head office
			stores = append(stores, int64(d.ID))
		}
	}
	n := tasks.NewTask{Title: "周末新品上市", Text: "您好，本周末新品到店，为您预留了试穿名额，欢迎来店里看看～",
		ProductIDs: []string{demoProducts(sim.DemoCorp(1))[0].SKU}, Target: tasks.Target{StoreIDs: stores},
		Deadline: time.Now().Add(72 * time.Hour).Truncate(time.Hour)}
	t, err := svc.Create(ctx, "demo", n, tasks.AllStores)
	if err != nil {
		log.Error("demo task", "err", err)
		return
	}
	if _, err := svc.RunTask(service.WithLane(ctx, service.LaneHandover), t.ID); err != nil {
		log.Error("demo task run", "task", t.ID, "err", err)
		return
	}
	log.Info("demo: a task (导购任务) waits for every guide in the sidebar home and /admin", "task", t.ID)
}
