// Package workbench is the guide's workbench in the sidebar: follow-up notes with a pipeline stage and a
// next follow-up time, the sidebar home (today's and overdue follow-ups, birthdays and new customers of
// the week), the corp's profile fields and each customer's values, quick replies (话术) and materials
// (素材) with what was sent, and the names of channels (`state` codes).
//
// A guide sees the notes and profile of customers they follow or followed (read-only once lost); notes
// stay with the customer, so after a handover the new guide reads the previous guide's notes under that
// guide's name. Corp-wide replies and materials are read by every guide and edited by admins only; a
// guide's own are visible to that guide alone (another guide's are ErrNotFound, not ErrForbidden, so
// their existence does not leak). Its ports (ports.go) are Store (repo/workbenchdb) and MediaUploader
// (WeCom's temporary media upload, the wecom adapter).
package workbench
