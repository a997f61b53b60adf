package workbench

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Sizes of the sidebar home's lists.
const (
	homeFollowUps = 100
	homeBirthdays = 50
	homeNew       = 50
)

// Home is the sidebar's entry without a chat: guide userID's follow-ups due today and overdue,
// birthdays this week (Monday to Sunday in the corp's time zone) and customers added this week, all
// of customers the guide still follows. Each list is one indexed query bounded by its size.
func (s *Service) Home(ctx context.Context, userID string) (Home, error) {
	now := s.now().In(s.loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, s.loc)
	tomorrow := today.AddDate(0, 0, 1)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	h := Home{Today: today}
	due, err := s.store.FollowUps(ctx, userID, tomorrow.UTC(), homeFollowUps)
	if err != nil {
		return Home{}, fmt.Errorf("home %s: follow-ups: %w", userID, err)
	}
	for _, e := range due {
		if e.At.Before(today) {
			h.Overdue = append(h.Overdue, e)
		} else {
			h.DueToday = append(h.DueToday, e)
		}
	}
	if h.NewCustomers, err = s.store.NewCustomers(ctx, userID, monday.UTC(), homeNew); err != nil {
		return Home{}, fmt.Errorf("home %s: new customers: %w", userID, err)
	}
	if err := s.homeBirthdays(ctx, userID, &h, monday); err != nil {
		return Home{}, fmt.Errorf("home %s: birthdays: %w", userID, err)
	}
	return h, nil
}

// homeBirthdays fills the week's birthdays from the corp's birthday field, if it has one.
func (s *Service) homeBirthdays(ctx context.Context, userID string, h *Home, monday time.Time) error {
	f, ok, err := s.birthdayField(ctx)
	if err != nil || !ok {
		return err
	}
	h.BirthdayName = f.Name
	if err := s.store.EnsureBirthdays(ctx, userID, f.FieldID, h.Today.Format(time.DateOnly)); err != nil {
		return err
	}
	days := map[int]time.Time{}
	for d := range 7 {
		day := monday.AddDate(0, 0, d)
		days[monthDay(day)] = day
		if day.Month() == time.February && day.Day() == 28 && !isLeap(day.Year()) {
			days[229] = day // a 29 February birthday is kept on the 28th in other years
		}
	}
	bs, err := s.store.Birthdays(ctx, userID, f.FieldID, weekRanges(monday), homeBirthdays)
	if err != nil {
		return err
	}
	for i := range bs {
		bs[i].At = days[bs[i].MonthDay]
	}
	sortByAt(bs)
	h.Birthdays = bs
	return nil
}

// birthdayField is the corp's live date field marked as the birthday.
func (s *Service) birthdayField(ctx context.Context) (Field, bool, error) {
	fs, err := s.fields.get(ctx)
	if err != nil {
		return Field{}, false, fmt.Errorf("fields: %w", err)
	}
	for _, f := range fs {
		if f.Birthday && !f.Archived && f.Type == FieldDate {
			return f, true, nil
		}
	}
	return Field{}, false, nil
}

// monthDay is a date's MMDD.
func monthDay(t time.Time) int { return int(t.Month())*100 + t.Day() }

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// weekRanges are the MMDD ranges of the 7 days from monday: one, or two when the week crosses the
// new year; 0229 is included with 0228 in years without it.
func weekRanges(monday time.Time) [][2]int {
	sunday := monday.AddDate(0, 0, 6)
	from, to := monthDay(monday), monthDay(sunday)
	var out [][2]int
	if from <= to {
		out = [][2]int{{from, to}}
	} else {
		out = [][2]int{{from, 1231}, {101, to}}
	}
	for d := range 7 {
		day := monday.AddDate(0, 0, d)
		if day.Month() == time.February && day.Day() == 28 && !isLeap(day.Year()) && to < 229 {
			out = append(out, [2]int{229, 229})
		}
	}
	return out
}

func sortByAt(es []HomeEntry) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].At.Before(es[j].At) })
}
