package main

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom/callback"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// BenchmarkCampaign is a marketing campaign against WeCom's real call limits (the simulator's
// defaults, not lifted; the client's budget on): GUIDEBOX_CAMPAIGN_ADDS add_external_contact
// callbacks (default 100,000) across GUIDEBOX_CAMPAIGN_GUIDES guides (4,000) that already have
// GUIDEBOX_CAMPAIGN_EXISTING customers each (50), pushed evenly over GUIDEBOX_CAMPAIGN_WINDOW (10m)
// by 32 clients, sealed as WeCom seals them, to a running serve on MariaDB. Meanwhile
// GUIDEBOX_CAMPAIGN_CARD_GUIDES signed-in guides (50) each open a card every
// GUIDEBOX_CAMPAIGN_CARD_PACE (250ms): an existing customer of theirs, or with probability
// GUIDEBOX_CAMPAIGN_NEW_CARDS (0.05) one of theirs from the campaign already acknowledged (read from
// WeCom on the spot if the backlog has not reached it). It reports acknowledged/s, WeCom calls per
// event, the 45009s (none allowed), the time until every campaign customer's card is complete (the
// edge's details read), and the cards' p99 during the push. Method and figures: docs/benchmarks.md.
// Run: go test -run '^$' -bench Campaign -benchtime 1x -timeout 60m ./cmd/guidebox/ (not in make bench).
func BenchmarkCampaign(b *testing.B) {
	sz := campaignSizes()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, simURL := campaignSim(b)
	a, base := campaignServe(b, ctx, s, simURL)
	t0 := time.Now()
	mine := seedCampaign(b, ctx, s, a, sz)
	cookies := signInGuides(b, base, s, min(sz.cardLoad, sz.guides))
	b.Logf("seeded %d guides with %d customers each in %s; limits %s", sz.guides, sz.existing, time.Since(t0).Round(time.Second), s.Limits("/cgi-bin/externalcontact/get"))
	plan := campaignPlan(sz)
	for i := 0; i < b.N; i++ {
		s.ResetCalls()
		b.ResetTimer()
		start := time.Now()
		acked := newAckedSet(sz.guides)
		cards := startCards(base, cookies, mine, acked, sz)
		acks := pushCampaign(b, s, base, plan, acked, sz)
		pushed := time.Since(start)
		cards.stop()
		require.Zero(b, acks.failed, "every callback acknowledged after WeCom's retries; POSTs failed: %v", acks.why)
		done := waitComplete(b, ctx, a, s, sz, start)
		b.StopTimer()
		reportCampaign(b, sz, s.Calls(), acks, pushed, done, cards)
	}
}

// ackedSet is each guide's campaign customers acknowledged so far, for the card load.
type ackedSet struct {
	mu  sync.Mutex
	ext [][]string
}

func newAckedSet(guides int) *ackedSet { return &ackedSet{ext: make([][]string, guides)} }

func (s *ackedSet) add(g int, ext string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ext[g] = append(s.ext[g], ext)
}

func (s *ackedSet) pick(g int, rng *rand.Rand) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.ext[g]) == 0 {
		return ""
	}
	return s.ext[g][rng.IntN(len(s.ext[g]))]
}

// ackStats are the pushes' outcomes: each POST's latency, the callbacks never acknowledged after
// WeCom's three retries, and why POSTs failed (a retry follows each but the last).
type ackStats struct {
	lat     []time.Duration
	failed  int64
	retries int64
	why     map[string]int
}

// pushCampaign plays the campaign in the simulator (each customer adds their guide when their turn
// comes, evenly over the window) and posts each callback, sealed, with 32 clients, retrying as WeCom
// does (three times, after 1, 2 and 3 s) when a POST is not answered 200 within 5 s.
func pushCampaign(b *testing.B, s *sim.Sim, base string, plan []int, acked *ackedSet, sz campaignSize) ackStats {
	crypto, err := callback.New(simtest.Token, simtest.AESKey, simtest.CorpID)
	require.NoError(b, err)
	type job struct {
		g     int
		ext   string
		query string
		body  []byte
	}
	jobs := make(chan job, 4096)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32, MaxConnsPerHost: 32}, Timeout: 5 * time.Second}
	var mu sync.Mutex
	st := ackStats{why: map[string]int{}}
	post := func(j job) (time.Duration, string) {
		t := time.Now()
		resp, err := client.Post(base+"/wecom/callback?"+j.query, "text/xml", bytes.NewReader(j.body))
		if err != nil {
			return time.Since(t), "transport"
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return time.Since(t), strconv.Itoa(resp.StatusCode)
		}
		return time.Since(t), ""
	}
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for j := range jobs {
				for try := 0; ; try++ {
					d, why := post(j)
					mu.Lock()
					st.lat = append(st.lat, d)
					if why != "" {
						st.why[why]++
					}
					mu.Unlock()
					if why == "" {
						acked.add(j.g, j.ext)
						break
					}
					if try == 3 {
						atomic.AddInt64(&st.failed, 1)
						break
					}
					atomic.AddInt64(&st.retries, 1)
					time.Sleep(time.Duration(try+1) * time.Second)
				}
			}
		})
	}
	start := time.Now()
	step := sz.window / time.Duration(len(plan))
	for i, g := range plan {
		time.Sleep(time.Until(start.Add(time.Duration(i) * step)))
		ext := campaignCustomer(i)
		_, _, err := s.CustomerAddsGuide(campaignGuide(g), sim.Customer{ExternalUserID: ext, Name: "活动客" + strconv.Itoa(i), Type: 1}, "campaign")
		require.NoError(b, err)
		for _, m := range s.TakeQueued() {
			ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), strconv.Itoa(i)
			env, sig, err := crypto.Seal(m.Marshal(), ts, nonce)
			require.NoError(b, err)
			jobs <- job{g: g, ext: ext, query: url.Values{"msg_signature": {sig}, "timestamp": {ts}, "nonce": {nonce}}.Encode(), body: env}
		}
	}
	close(jobs)
	wg.Wait()
	return st
}

// cardLoad is the guides opening cards while the campaign runs.
type cardLoad struct {
	stopc chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	old   []time.Duration // cards of customers from before the campaign
	fresh []time.Duration // cards of campaign customers (read on the spot while the backlog lags)
	codes map[string]int  // "old 200", "new 403", …
}

func startCards(base string, cookies []*http.Cookie, mine [][]string, acked *ackedSet, sz campaignSize) *cardLoad {
	cl := &cardLoad{stopc: make(chan struct{}), codes: map[string]int{}}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: len(cookies) + 1}, Timeout: 10 * time.Second}
	for g, cookie := range cookies {
		cl.wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 3))
			next := time.Now().Add(time.Duration(g) * sz.cardPace / time.Duration(len(cookies))) // spread over the pace
			for {
				select {
				case <-cl.stopc:
					return
				case <-time.After(time.Until(next)):
				}
				next = next.Add(sz.cardPace)
				ext, fresh := mine[g][rng.IntN(len(mine[g]))], false
				if rng.Float64() < sz.newShare {
					if e := acked.pick(g, rng); e != "" {
						ext, fresh = e, true
					}
				}
				cl.open(client, base+"/api/sidebar/customers/"+ext, cookie, fresh)
			}
		})
	}
	return cl
}

func (cl *cardLoad) open(client *http.Client, u string, cookie *http.Cookie, fresh bool) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.AddCookie(cookie)
	t := time.Now()
	resp, err := client.Do(req)
	d := time.Since(t)
	code := 0
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		code = resp.StatusCode
	}
	cl.mu.Lock()
	defer cl.mu.Unlock()
	kind := "old"
	if fresh {
		kind = "new"
	}
	cl.codes[kind+" "+strconv.Itoa(code)]++
	if fresh {
		cl.fresh = append(cl.fresh, d)
	} else {
		cl.old = append(cl.old, d)
	}
}

// stop ends the load.
func (cl *cardLoad) stop() *cardLoad {
	close(cl.stopc)
	cl.wg.Wait()
	sort.Slice(cl.old, func(i, j int) bool { return cl.old[i] < cl.old[j] })
	sort.Slice(cl.fresh, func(i, j int) bool { return cl.fresh[i] < cl.fresh[j] })
	return cl
}
