package sidebar

import (
	"context"
	"fmt"
	"regexp"
	"unicode/utf8"

	"github.com/guidebox/guidebox/service"
)

// WeCom's limits of externalcontact/remark (wecom-contract.md §3); the number of phone numbers is ours.
const (
	maxRemarkRunes      = 20
	maxDescriptionRunes = 150
	maxMobiles          = 5
)

// mobileRE is what WeCom takes as a phone number: digits, plus and minus, at most 32.
var mobileRE = regexp.MustCompile(`^[0-9+\-]{3,32}$`)

// EditRemark changes guide userID's remark, description or phone numbers on a customer the guide follows
// now: WeCom first (externalcontact/remark), then the edge and the remark log, so the database never
// holds what WeCom refused. WeCom's refusal comes back with its reason for the guide (service.Explained).
// It returns the guide's card edge afterwards.
func (s *Service) EditRemark(ctx context.Context, userID, externalUserID string, e RemarkEdit) (FollowerView, error) {
	if err := checkWeComID("external_userid", externalUserID); err != nil {
		return FollowerView{}, err
	}
	if err := checkRemark(e); err != nil {
		return FollowerView{}, err
	}
	edges, err := s.store.CustomerEdges(ctx, externalUserID)
	if err != nil {
		return FollowerView{}, fmt.Errorf("edit remark %s: %w", externalUserID, err)
	}
	mine, err := guideEdge(edges, userID)
	if err != nil {
		return FollowerView{}, err
	}
	if !mine.Active {
		return FollowerView{}, fmt.Errorf("customer %s no longer follows %s, read-only: %w", externalUserID, userID, service.ErrForbidden)
	}
	if err := s.wc.Remark(ctx, userID, externalUserID, e); err != nil {
		return FollowerView{}, fmt.Errorf("remark %s: %w", externalUserID, err)
	}
	if err := s.store.SaveRemark(ctx, userID, externalUserID, e, s.now().UTC()); err != nil {
		return FollowerView{}, fmt.Errorf("save remark %s: %w", externalUserID, err)
	}
	if e.Remark != nil {
		mine.Remark = *e.Remark
	}
	if e.Description != nil {
		mine.Description = *e.Description
	}
	if e.Mobiles != nil {
		mine.RemarkMobiles = *e.Mobiles
	}
	return mine, nil
}

// checkRemark refuses an empty edit and what WeCom would refuse, naming the field, before calling it.
func checkRemark(e RemarkEdit) error {
	if e.Remark == nil && e.Description == nil && e.Mobiles == nil {
		return service.Invalid("remark", "change the remark, the description or the phone numbers")
	}
	if e.Remark != nil && utf8.RuneCountInString(*e.Remark) > maxRemarkRunes {
		return service.Invalid("remark", fmt.Sprintf("at most %d characters (WeCom's limit)", maxRemarkRunes))
	}
	if e.Description != nil && utf8.RuneCountInString(*e.Description) > maxDescriptionRunes {
		return service.Invalid("description", fmt.Sprintf("at most %d characters (WeCom's limit)", maxDescriptionRunes))
	}
	if e.Mobiles == nil {
		return nil
	}
	if len(*e.Mobiles) > maxMobiles {
		return service.Invalid("mobiles", fmt.Sprintf("at most %d phone numbers", maxMobiles))
	}
	seen := map[string]bool{}
	for _, m := range *e.Mobiles {
		if !mobileRE.MatchString(m) || seen[m] {
			return service.Invalid("mobiles", "phone numbers of 3 to 32 digits, + or -, each once")
		}
		seen[m] = true
	}
	return nil
}
