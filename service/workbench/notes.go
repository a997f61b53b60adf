package workbench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/guidebox/guidebox/service"
)

// Limits of notes and the pipeline.
const (
	maxNoteRunes     = 1000
	maxStages        = 20
	maxStageName     = 16
	maxFollowUpAhead = 366 * 24 * time.Hour
	notesPage        = 20
)

var slugRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// Stages lists the live pipeline, in order.
func (s *Service) Stages(ctx context.Context) ([]Stage, error) {
	all, err := s.stages.get(ctx)
	if err != nil {
		return nil, fmt.Errorf("stages: %w", err)
	}
	var out []Stage
	for _, st := range all {
		if !st.Archived {
			out = append(out, st)
		}
	}
	return out, nil
}

// SetStages replaces the pipeline with names in order (admins only). A stage keeps its id when given
// one; a stage left out is archived, so notes that named it keep the name.
func (s *Service) SetStages(ctx context.Context, a Actor, stages []Stage) ([]Stage, error) {
	if !a.Admin {
		return nil, fmt.Errorf("pipeline is edited by admins: %w", service.ErrForbidden)
	}
	if len(stages) > maxStages {
		return nil, service.Invalid("stages", fmt.Sprintf("at most %d stages", maxStages))
	}
	seen := map[string]bool{}
	out := make([]Stage, len(stages))
	for i, st := range stages {
		st.Name = strings.TrimSpace(st.Name)
		if st.Name == "" || utf8.RuneCountInString(st.Name) > maxStageName {
			return nil, service.Invalid(fmt.Sprintf("stages[%d].name", i), fmt.Sprintf("1 to %d characters", maxStageName))
		}
		if st.StageID == "" {
			st.StageID = newStageID()
		} else if !slugRE.MatchString(st.StageID) {
			return nil, service.Invalid(fmt.Sprintf("stages[%d].stage_id", i), "lowercase letters, digits and _ (starting with a letter), at most 32")
		}
		if seen[st.StageID] || seen["name:"+st.Name] {
			return nil, service.Invalid(fmt.Sprintf("stages[%d]", i), "stage ids and names must be unique")
		}
		seen[st.StageID], seen["name:"+st.Name] = true, true
		out[i] = Stage{StageID: st.StageID, Name: st.Name, Order: i}
	}
	if err := s.store.SaveStages(ctx, out); err != nil {
		return nil, fmt.Errorf("save stages: %w", err)
	}
	s.stages.reset()
	names := make([]string, len(out))
	for i, st := range out {
		names[i] = st.Name
	}
	return out, s.audit(ctx, true, ActionSaveStages, "", strings.Join(names, " → "))
}

func newStageID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "st_" + hex.EncodeToString(b)
}

// AddNote records guide a's follow-up note on a customer the guide follows now. The note settles the
// guide's open follow-up of the customer; NextAt opens the next one and StageID moves the customer.
func (s *Service) AddNote(ctx context.Context, a Actor, extID string, in NoteInput) (Note, error) {
	if err := s.canWrite(ctx, a.UserID, extID); err != nil {
		return Note{}, err
	}
	body := strings.TrimSpace(in.Body)
	if body == "" || utf8.RuneCountInString(body) > maxNoteRunes {
		return Note{}, service.Invalid("body", fmt.Sprintf("write the note, at most %d characters", maxNoteRunes))
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	n := Note{ExternalUserID: extID, UserID: a.UserID, Body: body, CreatedAt: now}
	if in.NextAt != nil {
		t := in.NextAt.UTC().Truncate(time.Millisecond)
		if t.Before(now.Add(-5*time.Minute)) || t.After(now.Add(maxFollowUpAhead)) {
			return Note{}, service.Invalid("next_at", "the next follow-up must be between now and a year ahead")
		}
		n.NextAt = &t
	}
	if in.StageID != "" {
		st, ok, err := s.stage(ctx, in.StageID)
		if err != nil {
			return Note{}, err
		}
		if !ok || st.Archived {
			return Note{}, service.Invalid("stage_id", "not a stage of the pipeline")
		}
		n.StageID, n.StageName = st.StageID, st.Name
	}
	saved, err := s.store.AddNote(ctx, n)
	if err != nil {
		return Note{}, fmt.Errorf("add note on %s: %w", extID, err)
	}
	saved.StageName = n.StageName
	return saved, nil
}

// stage finds a stage by id, archived ones included.
func (s *Service) stage(ctx context.Context, id string) (Stage, bool, error) {
	all, err := s.stages.get(ctx)
	if err != nil {
		return Stage{}, false, fmt.Errorf("stages: %w", err)
	}
	for _, st := range all {
		if st.StageID == id {
			return st, true, nil
		}
	}
	return Stage{}, false, nil
}

// Notes pages the notes on a customer the guide follows or followed, newest first, every author's:
// after a handover the new guide reads the previous guide's notes under that guide's name.
func (s *Service) Notes(ctx context.Context, a Actor, extID string, beforeID int64) ([]Note, error) {
	if err := s.canRead(ctx, a.UserID, extID); err != nil {
		return nil, err
	}
	if beforeID < 0 {
		return nil, service.Invalid("before_id", "must be a note id")
	}
	ns, err := s.store.Notes(ctx, extID, beforeID, notesPage)
	if err != nil {
		return nil, fmt.Errorf("notes of %s: %w", extID, err)
	}
	for i := range ns {
		if st, ok, err := s.stage(ctx, ns[i].StageID); err == nil && ok {
			ns[i].StageName = st.Name
		}
	}
	return ns, nil
}

// Summary is the customer's stage and guide userID's next follow-up, for the card. The card has
// checked access already.
func (s *Service) Summary(ctx context.Context, userID, extID string) (Summary, error) {
	stageID, next, err := s.store.Summary(ctx, userID, extID)
	if err != nil {
		return Summary{}, fmt.Errorf("summary of %s: %w", extID, err)
	}
	out := Summary{StageID: stageID, NextFollowUp: next}
	if stageID != "" {
		if st, ok, err := s.stage(ctx, stageID); err == nil && ok {
			out.StageName = st.Name
		}
	}
	return out, nil
}
