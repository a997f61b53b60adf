package sim

import (
	"math/rand/v2"
	"sort"
	"time"

	"github.com/guidebox/guidebox/wecom/callback"
)

// userRec is a member plus the edges to their customers.
type userRec struct {
	User
	follows map[string]*Follow // by external_userid
	sorted  []string           // sorted keys of follows; nil when stale
	limit   int                // customer limit (SetCustomerLimit); 0 = none
	// unlicensed: the member has no interop license (接口许可, SetUnlicensed): batch/get_by_user
	// lists them in fail_info and answers 701008 when no listed member is licensed.
	unlicensed bool
}

// custRec is a customer plus their follow edges in the order they were added.
type custRec struct {
	Customer
	follows []*Follow
	refuses bool // SetRefuses: refuses every transfer
}

// state is the corp's data. Every field is guarded by Sim.mu.
type state struct {
	rnd    *rand.Rand
	outbox []*callback.Message // events to push when Sim.mu is released

	depts   map[int]*Department
	deptIDs []int
	users   map[string]*userRec
	userIDs []string // in creation order
	custs   map[string]*custRec

	tagGroups   map[string]*tagGroupRec
	tagGroupIDs []string
	tags        map[string]*tagRec

	chats      map[string]*groupRec
	chatIDs    []string
	ownerDaily map[string]int // dayKey → groups received that day

	xfer        transferState
	auth        authState
	welcome     map[string]*welcomeRec
	sentWelcome []WelcomeMessage
	groupMsg    groupMsgState
	media       []MediaUpload // temporary media (media/upload), oldest first
}

func newState(seed int64) *state {
	return &state{
		rnd:        newRand(seed),
		depts:      map[int]*Department{},
		users:      map[string]*userRec{},
		custs:      map[string]*custRec{},
		tagGroups:  map[string]*tagGroupRec{},
		tags:       map[string]*tagRec{},
		chats:      map[string]*groupRec{},
		ownerDaily: map[string]int{},
		xfer:       newTransferState(),
		auth:       newAuthState(),
		welcome:    map[string]*welcomeRec{},
		groupMsg:   newGroupMsgState(),
	}
}

const idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// newID returns prefix followed by n random id characters, e.g. the
// "wm…" external_userid or "wr…" chat_id shapes.
func (st *state) newID(prefix string, n int) string {
	b := make([]byte, len(prefix), len(prefix)+n)
	copy(b, prefix)
	for range n {
		b = append(b, idChars[st.rnd.IntN(len(idChars))])
	}
	return string(b)
}

func (st *state) addDept(d Department) {
	if _, ok := st.depts[d.ID]; !ok {
		st.deptIDs = append(st.deptIDs, d.ID)
	}
	cp := d
	st.depts[d.ID] = &cp
}

// activeUser returns a member who exists and has not resigned.
func (st *state) activeUser(id string) *userRec {
	u := st.users[id]
	if u == nil || u.Status == 5 {
		return nil
	}
	return u
}

func (st *state) addUser(u User) *userRec {
	if u.Status == 0 {
		u.Status = 1
	}
	if len(u.Departments) == 0 {
		u.Departments = []int{1}
	}
	if u.MainDepartment == 0 {
		u.MainDepartment = u.Departments[0]
	}
	rec := st.users[u.UserID]
	if rec == nil {
		rec = &userRec{follows: map[string]*Follow{}}
		st.users[u.UserID] = rec
		st.userIDs = append(st.userIDs, u.UserID)
	}
	rec.User = u
	return rec
}

// addCustomer creates or updates a customer, generating an id if needed.
func (st *state) addCustomer(c Customer) *custRec {
	if c.ExternalUserID == "" {
		c.ExternalUserID = st.newID("wm", 30)
	}
	if c.Type == 0 {
		c.Type = 1
	}
	rec := st.custs[c.ExternalUserID]
	if rec == nil {
		rec = &custRec{}
		st.custs[c.ExternalUserID] = rec
	}
	rec.Customer = c
	return rec
}

// follow returns the edge userID→extID, or nil.
func (st *state) follow(userID, extID string) *Follow {
	if u := st.users[userID]; u != nil {
		return u.follows[extID]
	}
	return nil
}

// addFollow links an existing member and customer; it replaces an existing
// edge between them.
func (st *state) addFollow(f Follow) *Follow {
	u, c := st.users[f.UserID], st.custs[f.ExternalUserID]
	st.removeFollow(f.UserID, f.ExternalUserID)
	cp := f
	u.follows[f.ExternalUserID] = &cp
	u.sorted = nil
	c.follows = append(c.follows, &cp)
	return &cp
}

// removeFollow deletes the edge userID→extID and returns it (nil if absent).
func (st *state) removeFollow(userID, extID string) *Follow {
	u, c := st.users[userID], st.custs[extID]
	if u == nil || c == nil || u.follows[extID] == nil {
		return nil
	}
	f := u.follows[extID]
	delete(u.follows, extID)
	u.sorted = nil
	for i, g := range c.follows {
		if g == f {
			c.follows = append(c.follows[:i:i], c.follows[i+1:]...)
			break
		}
	}
	return f
}

// customerIDs returns the member's customers sorted by external_userid: the
// stable order list and batch/get_by_user page through.
func (u *userRec) customerIDs() []string {
	if u.sorted == nil {
		u.sorted = make([]string, 0, len(u.follows))
		for id := range u.follows {
			u.sorted = append(u.sorted, id)
		}
		sort.Strings(u.sorted)
	}
	return u.sorted
}

// event starts a callback message of WeCom's common shape.
func (s *Sim) event(now time.Time, ev, change string) *callback.Message {
	return &callback.Message{
		ToUserName: s.cfg.CorpID, FromUserName: "sys", CreateTime: now.Unix(),
		MsgType: "event", Event: ev, ChangeType: change,
	}
}

// emit queues m for pushing once Sim.mu is released.
func (s *Sim) emit(m *callback.Message) { s.st.outbox = append(s.st.outbox, m) }
