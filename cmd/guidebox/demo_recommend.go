package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/guidebox/guidebox/service/autotag"
)

// demoRules are the auto-tag rules the offline demo starts with, on tags of its corp: one of each
// kind; 高消费 is also written to WeCom (the simulator) on the owner's edge.
func demoRules() []autotag.RuleInput {
	rs := []autotag.RuleInput{
		{Name: "近30天买过护肤", Kind: autotag.KindCategory, Category: "护肤", Days: 30, TagGroup: "自动标签", TagName: "护肤常客"},
		{Name: "90天消费满3000元", Kind: autotag.KindSpend, MinFen: 300000, Days: 90, TagGroup: "自动标签", TagName: "高消费", ToWeCom: true},
		{Name: "半年未购", Kind: autotag.KindDormant, Days: 180, TagGroup: "自动标签", TagName: "半年未购"},
	}
	for _, s := range []string{autotag.StageNew, autotag.StageRepeat, autotag.StageDormant, autotag.StageLost} {
		rs = append(rs, autotag.RuleInput{Name: "消费阶段·" + s, Kind: autotag.KindLifecycle, Stage: s, TagGroup: "消费阶段", TagName: s})
	}
	for _, s := range []struct {
		stage string
		days  int
	}{{"孕期", 280}, {"0-1岁", 365}, {"1-3岁", 730}} {
		rs = append(rs, autotag.RuleInput{Name: "母婴·" + s.stage, Kind: autotag.KindBabyStage, Days: s.days, TagGroup: "母婴阶段", TagName: s.stage})
	}
	return rs
}

// seedDemoRecommendations gives the demo its auto-tag rules (the first time), tags the customers from
// their orders, writes the rules' tags to WeCom and builds the recommendations' index, so the first
// card opened shows both.
func (a *app) seedDemoRecommendations(ctx context.Context, log *slog.Logger) error {
	rules, err := a.autotags.Rules(ctx)
	if err != nil {
		return err
	}
	if len(rules) == 0 {
		for _, r := range demoRules() {
			if _, err := a.autotags.CreateRule(ctx, r); err != nil {
				return fmt.Errorf("demo rule %s: %w", r.Name, err)
			}
		}
	}
	pass, err := a.autotags.RunPass(ctx)
	if err != nil {
		return err
	}
	marks, err := a.autotags.PushMarks(ctx)
	if err != nil {
		return err
	}
	idx, err := a.recommend.Rebuild(ctx)
	if err != nil {
		return err
	}
	log.Info("demo auto-tags and recommendations", "rules", max(len(rules), len(demoRules())), "customers_tagged", pass.Added,
		"marked_in_wecom", marks.Written, "index_lines", idx.Lines, "neighbors", idx.Neighbors, "cycles", idx.Cycles)
	return nil
}
