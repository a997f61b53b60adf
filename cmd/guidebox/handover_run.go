package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/guidebox/guidebox/service/handover"
)

// run executes an open case and runs it in this process under the case's lease (as a serve replica
// would), drawing a progress bar on a terminal (a summary line otherwise). With --wait it keeps
// polling until every item is final; a case another runner holds is then followed, not run.
func (h handoverCLI) run(ctx context.Context, args []string) error {
	id, rest, err := caseArg(args)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	wait := fs.Bool("wait", false, "poll until every customer is final (WeCom takes over after 24 h)")
	every := fs.Duration("every", time.Minute, "poll period with --wait")
	if err := fs.Parse(rest); err != nil {
		return err
	}
	v, err := h.svc.View(ctx, id)
	if err != nil {
		return err
	}
	if v.Case.Status == handover.CaseOpen {
		if _, err := h.svc.Execute(ctx, h.actor, id); err != nil {
			return err
		}
	}
	for {
		ran, err := h.runOnce(ctx, id)
		if err != nil {
			return err
		}
		if !ran && !*wait {
			return fmt.Errorf("case %d is being run by another runner (a guidebox serve replica?); follow it with: guidebox handover status %d", id, id)
		}
		v, err := h.svc.View(ctx, id)
		if err != nil {
			return err
		}
		if !*wait || !v.Case.Active() {
			h.printView(v)
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(*every):
		}
	}
}

// runOnce runs the case once, if no other runner holds it, while a ticker redraws its progress.
func (h handoverCLI) runOnce(ctx context.Context, id int64) (bool, error) {
	type result struct {
		ran bool
		err error
	}
	done := make(chan result, 1)
	go func() {
		ran, err := h.svc.RunLeased(ctx, id)
		done <- result{ran, err}
	}()
	tick := time.NewTicker(300 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case r := <-done:
			if r.ran {
				h.progress(ctx, id, true)
			}
			return r.ran, r.err
		case <-tick.C:
			h.progress(ctx, id, false)
		}
	}
}

// progress draws "[#####.....] 4200/10000 customers (done 0, waiting 4200, failed 0)".
func (h handoverCLI) progress(ctx context.Context, id int64, last bool) {
	v, err := h.svc.View(ctx, id)
	if err != nil {
		return
	}
	c := v.Counts[handover.ItemCustomer]
	total, moved := 0, 0
	for st, n := range c {
		total += n
		if st != handover.ItemPending && st != handover.ItemSubmitting && st != handover.ItemLimit {
			moved += n
		}
	}
	line := fmt.Sprintf("%s %d/%d customers (done %d, waiting %d, refused %d, failed %d)  groups done %d/%d",
		bar(moved, total, 30), moved, total, c[handover.ItemDone], c[handover.ItemWaiting], c[handover.ItemRefused], c[handover.ItemFailed],
		v.Counts[handover.ItemGroup][handover.ItemDone], sum(v.Counts[handover.ItemGroup]))
	switch {
	case h.tty:
		fmt.Fprintf(h.out, "\r%s", line)
		if last {
			fmt.Fprintln(h.out)
		}
	case last:
		fmt.Fprintln(h.out, line)
	}
}

func bar(n, total, width int) string {
	fill := 0
	if total > 0 {
		fill = n * width / total
	}
	return "[" + strings.Repeat("#", fill) + strings.Repeat(".", width-fill) + "]"
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
