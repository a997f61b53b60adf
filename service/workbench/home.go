package workbench

import (
	"context"
	"fmt"
	"sort"
	"sync"
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
	var due []HomeEntry
	var wg sync.WaitGroup
	errs := make([]error, 4)
	run := func(i int, fn func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn()
		}()
	}
	run(0, func() (err error) { due, err = s.store.FollowUps(ctx, userID, tomorrow.UTC(), homeFollowUps); return })
	run(1, func() (err error) {
		h.NewCustomers, err = s.store.NewCustomers(ctx, userID, monday.UTC(), homeNew)
		return
	})
	run(2, func() error { return s.homeBirthdays(ctx, userID, &h, monday) })
	run(3, func() error { return s.store.RecordSidebarOpen(ctx, userID, "", s.now()) })
	wg.Wait()
	for i, what := range []string{"follow-ups", "new customers", "birthdays", "sidebar open"} {
		if errs[i] != nil {
			return Home{}, fmt.Errorf("home %s: %s: %w", userID, what, errs[i])
		}
	}
	for _, e := range due {
		if e.At.Before(today) {
			h.Overdue = append(h.Overdue, e)
		} else {
			h.DueToday = append(h.DueToday, e)
		}
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
	if err := s.ensureBirthdays(ctx, userID, f.FieldID, h.Today.Format(time.DateOnly)); err != nil {
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

// ensureBirthdays keeps the guide's birthday index at most a day old. A guide whose index was never
// built waits for it; one whose index is from an earlier day reads it as it is (its rows are joined
// with the live values and edges, so it only lacks customers followed since) while it is rebuilt in
// the background, once per guide. The store is asked once a day per guide on this replica.
func (s *Service) ensureBirthdays(ctx context.Context, userID, fieldID, day string) error {
	key := fieldID + "|" + day
	s.builtMu.Lock()
	if s.builtDay != day {
		s.builtDay, s.built = day, map[string]string{} // a new day: forget yesterday's guides
	}
	done := s.built[userID] == key
	s.builtMu.Unlock()
	if done {
		return nil
	}
	on, err := s.store.BirthdaysBuiltOn(ctx, userID)
	switch {
	case err != nil:
		return err
	case on == day:
	case on == "":
		if err := s.store.RebuildBirthdays(ctx, userID, fieldID, day); err != nil {
			return err
		}
	default:
		s.rebuildLater(ctx, userID, fieldID, day)
		return nil
	}
	s.markBuilt(userID, key, day)
	return nil
}

// rebuildLater rebuilds a guide's birthday index in the background (at most one rebuild per guide at
// a time), keeping the request's values but not its cancellation.
func (s *Service) rebuildLater(ctx context.Context, userID, fieldID, day string) {
	s.builtMu.Lock()
	if s.rebuilding == nil {
		s.rebuilding = map[string]bool{}
	}
	if s.rebuilding[userID] {
		s.builtMu.Unlock()
		return
	}
	s.rebuilding[userID] = true
	s.builtMu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
		defer cancel()
		err := s.store.RebuildBirthdays(ctx, userID, fieldID, day)
		s.builtMu.Lock()
		delete(s.rebuilding, userID)
		s.builtMu.Unlock()
		if err == nil {
			s.markBuilt(userID, fieldID+"|"+day, day)
		} // on error the next home tries again
	}()
}

func (s *Service) markBuilt(userID, key, day string) {
	s.builtMu.Lock()
	if s.builtDay == day {
		s.built[userID] = key
	}
	s.builtMu.Unlock()
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
