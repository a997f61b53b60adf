package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"github.com/guidebox/guidebox/repo/workbenchdb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/service/workbench"
	"github.com/guidebox/guidebox/wecom/sim"
)

// demoAdmin acts for the demo's corp-wide settings.
var demoAdmin = workbench.Actor{UserID: "demo", Admin: true}

// demoFields are the demo corp's profile fields: one of each type.
var demoFields = []workbench.Field{
	{FieldID: "birthday", Name: "生日", Type: workbench.FieldDate, Birthday: true},
	{FieldID: "skin", Name: "肤质", Type: workbench.FieldMulti, Options: []string{"干性", "油性", "混合", "敏感", "中性"}},
	{FieldID: "size", Name: "尺码", Type: workbench.FieldSelect, Options: []string{"XS", "S", "M", "L", "XL"}},
	{FieldID: "due_date", Name: "宝宝预产期", Type: workbench.FieldDate},
	{FieldID: "level", Name: "会员等级", Type: workbench.FieldSelect, Options: []string{"普通会员", "银卡会员", "金卡会员", "黑金会员"}},
	{FieldID: "points", Name: "会员积分", Type: workbench.FieldNumber},
	{FieldID: "prefer", Name: "偏好说明", Type: workbench.FieldText},
}

// seedDemoWorkbench fills the offline demo's workbench once (a database that has a pipeline is left
// alone): the pipeline, profile fields, channel names, 客户等级 as a single-choice tag group, corp
// replies and materials, and for every guide notes with follow-ups due today and overdue, birthdays
// this week and, through the simulator, a customer added today.
func seedDemoWorkbench(ctx context.Context, a *app, wb *workbench.Service, side *sidebar.Service) error {
	if st, err := wb.Stages(ctx); err != nil || len(st) > 0 {
		return err
	}
	if _, err := wb.SetStages(ctx, demoAdmin, []workbench.Stage{{StageID: "contact", Name: "初次接触"}, {StageID: "intent", Name: "有意向"},
		{StageID: "deal", Name: "已成交"}, {StageID: "repeat", Name: "复购"}}); err != nil {
		return fmt.Errorf("stages: %w", err)
	}
	for i, f := range demoFields {
		f.Order = i
		if _, err := wb.CreateField(ctx, demoAdmin, f); err != nil && !errors.Is(err, service.ErrConflict) {
			return fmt.Errorf("field %s: %w", f.FieldID, err)
		}
	}
	if err := seedDemoChannels(ctx, a, wb); err != nil {
		return err
	}
	tags, err := a.graph.ListTags(ctx)
	if err != nil {
		return err
	}
	for _, g := range tags {
		if g.Name == "客户等级" {
			if err := side.SetSingleChoice(ctx, g.GroupID, true); err != nil {
				return err
			}
		}
	}
	if err := seedDemoLibrary(ctx, wb); err != nil {
		return err
	}
	if err := seedDemoGuides(ctx, a, wb); err != nil {
		return err
	}
	return seedDemoTimeline(ctx, a, wb)
}

// seedDemoChannels names the demo's state codes after the store whose counter QR code carries them.
func seedDemoChannels(ctx context.Context, a *app, wb *workbench.Service) error {
	corp := sim.DemoCorp(1)
	store := map[string]string{}
	for _, d := range corp.Departments {
		store[fmt.Sprint(d.ID)] = d.Name
	}
	guideStore := map[string]string{}
	for _, u := range corp.Users {
		guideStore[u.UserID] = store[fmt.Sprint(u.MainDepartment)]
	}
	seen := map[string]bool{}
	for _, f := range corp.Follows {
		if f.State == "" || seen[f.State] {
			continue
		}
		seen[f.State] = true
		if _, err := wb.SetChannel(ctx, demoAdmin, workbench.Channel{State: f.State, Name: guideStore[f.UserID] + " · 柜台二维码"}); err != nil {
			return fmt.Errorf("channel %s: %w", f.State, err)
		}
	}
	return nil
}

// seedDemoLibrary writes the corp's quick replies and materials.
func seedDemoLibrary(ctx context.Context, wb *workbench.Service) error {
	replies := []struct {
		group string
		items [][2]string // title, text
	}{
		{"开场问候", [][2]string{{"初次问候", "您好，我是您的专属导购，以后有任何穿搭或护肤的问题都可以随时找我～"},
			{"到店邀约", "这周末店里上了秋冬新品，您有空可以过来试试，我提前帮您留好尺码。"}}},
		{"活动通知", [][2]string{{"会员日", "本月 18 日是会员日，全场 8.8 折，金卡会员再享双倍积分，欢迎到店选购！"},
			{"生日礼", "生日快乐！您的生日礼已经准备好了，本月到店出示会员码即可领取～"}}},
		{"售后关怀", [][2]string{{"使用回访", "上次买的产品用得怎么样？有任何不合适的地方随时告诉我。"}}},
	}
	for i, r := range replies {
		g, err := wb.SaveGroup(ctx, demoAdmin, workbench.Group{Library: workbench.LibraryReply, Name: r.group, Order: i}, true)
		if err != nil {
			return fmt.Errorf("reply group: %w", err)
		}
		for k, it := range r.items {
			if _, err := wb.SaveItem(ctx, demoAdmin, workbench.Item{GroupID: g.ID, Kind: workbench.KindText, Title: it[0], Content: it[1], Order: k}, true); err != nil {
				return fmt.Errorf("reply: %w", err)
			}
		}
	}
	g, err := wb.SaveGroup(ctx, demoAdmin, workbench.Group{Library: workbench.LibraryMaterial, Name: "秋冬上新"}, true)
	if err != nil {
		return fmt.Errorf("material group: %w", err)
	}
	poster, err := wb.SaveItem(ctx, demoAdmin, workbench.Item{GroupID: g.ID, Kind: workbench.KindImage, Title: "秋冬新品海报"}, true)
	if err != nil {
		return fmt.Errorf("poster: %w", err)
	}
	if err := wb.PutImage(ctx, demoAdmin, poster.ID, demoPoster(), true); err != nil {
		return fmt.Errorf("poster picture: %w", err)
	}
	for _, it := range []workbench.Item{
		{GroupID: g.ID, Kind: workbench.KindLink, Title: "会员日 8.8 折", Content: "本月 18 日，全场 8.8 折，金卡会员双倍积分",
			URL: "https://shop.example.com/member-day", PicURL: "/demo/products/P001.svg", Order: 1},
		{GroupID: g.ID, Kind: workbench.KindMiniProgram, Title: "线上商城：新品抢先看", AppID: "wx0123456789abcdef",
			Page: "pages/index/index.html", PicURL: "/demo/products/P002.svg", Order: 2},
	} {
		if _, err := wb.SaveItem(ctx, demoAdmin, it, true); err != nil {
			return fmt.Errorf("material %s: %w", it.Title, err)
		}
	}
	return nil
}

// demoPoster draws the demo's poster: a PNG of warm autumn stripes (WeCom takes JPG and PNG).
func demoPoster() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 240, 320))
	stripes := []color.RGBA{{0xc8, 0x6b, 0x3c, 0xff}, {0xe0, 0xa4, 0x58, 0xff}, {0xf3, 0xd9, 0xa4, 0xff}, {0x8c, 0x4a, 0x2f, 0xff}}
	for y := 0; y < 320; y++ {
		for x := 0; x < 240; x++ {
			img.Set(x, y, stripes[((x+y)/40)%len(stripes)])
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// seedDemoGuides gives each active guide work for today: a follow-up due today and one overdue, two
// birthdays this week, profile values, and a customer added today (through the simulator, so the
// callback brings it into the graph).
func seedDemoGuides(ctx context.Context, a *app, wb *workbench.Service) error {
	store := workbenchdb.New(a.db, a.cfg.WeCom.CorpID)
	loc, err := time.LoadLocation(a.cfg.Workbench.Timezone)
	if err != nil {
		return err
	}
	now := time.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	guides, err := a.graph.ListGuides(ctx, 0)
	if err != nil {
		return err
	}
	for gi, g := range guides {
		if g.Status != service.GuideActive {
			continue
		}
		ids, err := a.graph.ActiveCustomerIDs(ctx, g.UserID, "", 4)
		if err != nil || len(ids) < 4 {
			continue
		}
		notes := []workbench.Note{
			{ExternalUserID: ids[0], Body: "到店试了秋冬外套，喜欢驼色，尺码 M；约好今天下午回复是否留货", StageID: "intent",
				CreatedAt: today.AddDate(0, 0, -3).Add(15 * time.Hour), NextAt: ptrTime(today.Add(17 * time.Hour))},
			{ExternalUserID: ids[1], Body: "答应寄面霜小样，需要确认收货地址", StageID: "contact",
				CreatedAt: today.AddDate(0, 0, -5).Add(11 * time.Hour), NextAt: ptrTime(today.AddDate(0, 0, -1).Add(10 * time.Hour))},
		}
		for _, n := range notes {
			n.UserID = g.UserID
			if _, err := store.AddNote(ctx, n); err != nil {
				return fmt.Errorf("demo note: %w", err)
			}
		}
		me := workbench.Actor{UserID: g.UserID}
		for k, ext := range ids[2:4] {
			day := today.AddDate(0, 0, 1+2*k)
			values := map[string]any{"birthday": fmt.Sprintf("%d-%02d-%02d", 1988+gi%10, day.Month(), day.Day())}
			if _, err := wb.SetProfile(ctx, me, ext, values); err != nil {
				return fmt.Errorf("demo birthday: %w", err)
			}
		}
		if _, err := wb.SetProfile(ctx, me, ids[0], map[string]any{"skin": []any{"混合", "敏感"}, "size": "M", "level": "金卡会员",
			"points": 2680.0, "prefer": "喜欢大地色系，周末到店"}); err != nil {
			return fmt.Errorf("demo profile: %w", err)
		}
		if gi%5 == 0 && a.demo != nil { // one guide a store: a customer scans the counter QR code today
			if _, _, err := a.demo.sim.CustomerAddsGuide(g.UserID, sim.Customer{Name: "新客户" + string([]rune("甲乙丙丁戊己")[gi/5%6])},
				demoState(g.UserID)); err != nil {
				return fmt.Errorf("demo new customer: %w", err)
			}
		}
	}
	return nil
}

// demoState is the counter QR code of the guide's store (a state code the demo named).
func demoState(userID string) string {
	for _, f := range sim.DemoCorp(1).Follows {
		if f.UserID == userID && f.State != "" {
			return f.State
		}
	}
	return ""
}

func ptrTime(t time.Time) *time.Time { return &t }
