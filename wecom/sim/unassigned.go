package sim

import (
	"strconv"
	"time"
)

// unassignedRec is a resigned member's customer waiting for inheritance.
type unassignedRec struct {
	handover  string
	ext       string
	dimission time.Time
	gone      bool // inherited; kept so cursors stay valid
}

func unKey(handover, ext string) string { return handover + "\x00" + ext }

// unassignedOf returns the live unassigned entry, or nil.
func (st *state) unassignedOf(handover, ext string) *unassignedRec {
	if u := st.xfer.unIdx[unKey(handover, ext)]; u != nil && !u.gone {
		return u
	}
	return nil
}

func (st *state) addUnassigned(handover, ext string, at time.Time) {
	if st.unassignedOf(handover, ext) != nil {
		return
	}
	u := &unassignedRec{handover: handover, ext: ext, dimission: at}
	st.xfer.unassigned = append(st.xfer.unassigned, u)
	st.xfer.unIdx[unKey(handover, ext)] = u
}

func (st *state) removeUnassigned(handover, ext string) {
	if u := st.unassignedOf(handover, ext); u != nil {
		u.gone = true
		delete(st.xfer.unIdx, unKey(handover, ext))
	}
}

// visible reports whether get_unassigned_list shows the entry: not
// inherited and no transfer waiting.
func (st *state) visible(u *unassignedRec) bool {
	return !u.gone && st.xfer.active[u.ext] == nil
}

// apiUnassignedList mimics "获取待分配的离职成员列表" (POST
// get_unassigned_list): page_size ≤1000 (default 1000); without cursor,
// page_id×page_size must stay below 50 000 (40058); the cursor continues
// where the last page ended. Customers with a waiting transfer are hidden.
func (s *Sim) apiUnassignedList(c *call) result {
	var req struct {
		PageID   flexInt `json:"page_id"`
		Cursor   string  `json:"cursor"`
		PageSize flexInt `json:"page_size"`
	}
	if res := c.decode(&req); res != nil {
		return res
	}
	size := int(req.PageSize)
	if size == 0 {
		size = 1000
	}
	if size < 0 || size > 1000 || req.PageID < 0 {
		return errInvalidParam("page_size must be at most 1000")
	}
	start, res := s.unassignedStart(req.Cursor, int(req.PageID), size)
	if res != nil {
		return res
	}
	list := s.st.xfer.unassigned
	info := []map[string]any{}
	i := start
	for ; i < len(list) && len(info) < size; i++ {
		if u := list[i]; s.st.visible(u) {
			info = append(info, map[string]any{"handover_userid": u.handover,
				"external_userid": u.ext, "dimission_time": unix(u.dimission)})
		}
	}
	last := true
	for j := i; j < len(list); j++ {
		if s.st.visible(list[j]) {
			last = false
			break
		}
	}
	next := ""
	if !last {
		next = "u" + strconv.Itoa(i)
	}
	return result{"info": info, "is_last": last, "next_cursor": next}
}

// unassignedStart turns a cursor or page_id into an index of the list.
func (s *Sim) unassignedStart(cursor string, pageID, size int) (int, result) {
	if cursor != "" {
		n, err := strconv.Atoi(cursor[1:])
		if cursor[0] != 'u' || err != nil || n < 0 {
			return 0, errInvalidParam("cursor")
		}
		return n, nil
	}
	if pageID*size >= 50000 {
		return 0, errInvalidParam("page_id*page_size must stay below 50000; use cursor")
	}
	skip := pageID * size
	for i, u := range s.st.xfer.unassigned {
		if !s.st.visible(u) {
			continue
		}
		if skip == 0 {
			return i, nil
		}
		skip--
	}
	return len(s.st.xfer.unassigned), nil
}
