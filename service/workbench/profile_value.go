package workbench

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/guidebox/guidebox/service"
)

// Limits of profile values.
const (
	maxTextRunes = 200
	maxPicks     = 10
	maxNumber    = 1e12
)

// parseValue checks a raw JSON value against field f and returns it canonical; empty reports a value
// that clears the field (null, "", []). A bad value is a ValidationError naming the field.
func parseValue(f Field, raw any) (v Value, empty bool, err error) {
	bad := func(why string) (Value, bool, error) {
		return Value{}, false, service.Invalid("values."+f.FieldID, f.Name+" "+why)
	}
	if raw == nil {
		return Value{}, true, nil
	}
	if s, ok := raw.(string); ok && strings.TrimSpace(s) == "" {
		return Value{}, true, nil
	}
	switch f.Type {
	case FieldText:
		s, ok := raw.(string)
		if !ok {
			return bad("must be text")
		}
		s = strings.TrimSpace(s)
		if utf8.RuneCountInString(s) > maxTextRunes || strings.ContainsAny(s, "\x00") {
			return bad(fmt.Sprintf("must be at most %d characters", maxTextRunes))
		}
		return Value{Text: s}, false, nil
	case FieldNumber:
		n, ok := number(raw)
		if !ok {
			return bad("must be a number")
		}
		if math.IsNaN(n) || math.IsInf(n, 0) || math.Abs(n) > maxNumber {
			return bad("must be a number up to 10^12")
		}
		return Value{Text: strconv.FormatFloat(n, 'f', -1, 64), Num: &n}, false, nil
	case FieldDate:
		s, ok := raw.(string)
		if !ok {
			return bad("must be a date like 2024-05-01")
		}
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
		if err != nil || d.Year() < 1900 || d.Year() > 2100 {
			return bad("must be a date like 2024-05-01, between 1900 and 2100")
		}
		n, md := float64(d.Year()*10000+int(d.Month())*100+d.Day()), monthDay(d)
		return Value{Text: d.Format(time.DateOnly), Num: &n, MonthDay: &md}, false, nil
	case FieldSelect:
		s, ok := raw.(string)
		if !ok || !slices.Contains(f.Options, strings.TrimSpace(s)) {
			return bad("must be one of " + strings.Join(f.Options, ", "))
		}
		return Value{Text: strings.TrimSpace(s)}, false, nil
	case FieldMulti:
		return parseMulti(f, raw, bad)
	}
	return bad("has an unknown type")
}

// parseMulti checks a multiple choice: an array of distinct options, at most maxPicks, kept in the
// field's option order.
func parseMulti(f Field, raw any, bad func(string) (Value, bool, error)) (Value, bool, error) {
	arr, ok := raw.([]any)
	if !ok {
		return bad("must be a list of options")
	}
	if len(arr) == 0 {
		return Value{}, true, nil
	}
	if len(arr) > maxPicks {
		return bad(fmt.Sprintf("takes at most %d options", maxPicks))
	}
	picked := map[string]bool{}
	for _, x := range arr {
		s, ok := x.(string)
		if !ok || !slices.Contains(f.Options, s) || picked[s] {
			return bad("takes distinct options among " + strings.Join(f.Options, ", "))
		}
		picked[s] = true
	}
	var items []string
	for _, o := range f.Options {
		if picked[o] {
			items = append(items, o)
		}
	}
	b, _ := json.Marshal(items)
	return Value{Text: string(b), Items: items}, false, nil
}

// number reads a JSON number (float64 or json.Number) or a numeric string.
func number(raw any) (float64, bool) {
	switch x := raw.(type) {
	case float64:
		return x, true
	case json.Number:
		n, err := x.Float64()
		return n, err == nil
	case string:
		n, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return n, err == nil
	}
	return 0, false
}
