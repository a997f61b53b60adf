package catalog

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxFen bounds prices and totals (10 billion yuan): beyond it a number is a mistake, not a price.
const maxFen = 1_000_000_000_000

// parseFen reads an amount in fen: a whole number, no decimals.
func parseFen(s string) (int64, string) {
	s = strings.ReplaceAll(s, ",", "")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if f, ferr := strconv.ParseFloat(s, 64); ferr == nil && f == math.Trunc(f) && math.Abs(f) < maxFen {
			n, err = int64(f), nil // Excel writes a whole number as 19900.0 sometimes
		}
	}
	switch {
	case s == "":
		return 0, "不能为空"
	case err != nil:
		return 0, fmt.Sprintf("「%s」不是整数金额（单位：分）", s)
	case n < 0:
		return 0, "不能为负数"
	case n > maxFen:
		return 0, "金额过大"
	}
	return n, ""
}

// parseYuan reads an amount in yuan with at most two decimals ("199", "199.9", "¥1,299.00", "88元")
// and returns it in fen, exactly.
func parseYuan(s string) (int64, string) {
	t := strings.NewReplacer("¥", "", "￥", "", "元", "", ",", "", "，", "", " ", "").Replace(s)
	if t == "" {
		return 0, "不能为空"
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	bad := fmt.Sprintf("「%s」不是有效金额（单位：元，最多两位小数）", s)
	if whole == "" || strings.IndexFunc(whole, notDigit) >= 0 || strings.IndexFunc(frac, notDigit) >= 0 || (hasDot && frac == "") {
		if strings.HasPrefix(t, "-") {
			return 0, "不能为负数"
		}
		return 0, bad
	}
	if len(frac) > 2 { // an XLSX number cell read raw may carry binary noise: 199.9 as 199.90000000000001
		f, err := strconv.ParseFloat(t, 64)
		fen := math.Round(f * 100)
		if err != nil || math.Abs(f*100-fen) > 1e-6 {
			return 0, bad
		}
		frac = fmt.Sprintf("%02d", int64(fen)%100)
	}
	frac = (frac + "00")[:2]
	if len(whole) > 10 {
		return 0, "金额过大"
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	fr, _ := strconv.ParseInt(frac, 10, 64)
	if n := w*100 + fr; n <= maxFen {
		return n, ""
	}
	return 0, "金额过大"
}

func notDigit(r rune) bool { return r < '0' || r > '9' }

// parseCount reads a whole number from lo to hi.
func parseCount(s string, lo, hi int64) (int64, string) {
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	if err != nil {
		if f, ferr := strconv.ParseFloat(s, 64); ferr == nil && f == math.Trunc(f) && math.Abs(f) < 1e15 {
			n, err = int64(f), nil
		}
	}
	switch {
	case s == "":
		return 0, "不能为空"
	case err != nil:
		return 0, fmt.Sprintf("「%s」不是整数", s)
	case n < lo:
		return 0, fmt.Sprintf("不能小于 %d", lo)
	case n > hi:
		return 0, fmt.Sprintf("不能大于 %d", hi)
	}
	return n, ""
}

// parseBool reads a yes/no cell; empty is def.
func parseBool(s string, def bool) (bool, string) {
	switch strings.ToLower(s) {
	case "":
		return def, ""
	case "1", "true", "yes", "y", "是", "在售", "上架", "on":
		return true, ""
	case "0", "false", "no", "n", "否", "下架", "停售", "off":
		return false, ""
	}
	return false, fmt.Sprintf("「%s」应为 是/否（或 1/0、在售/下架）", s)
}

// splitList splits a cell holding several values: separated by commas, semicolons, 、, | or new
// lines, in ASCII or full width.
func splitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune(",，;；、|\n\r", r)
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// checkText refuses text longer than max characters.
func checkText(s string, max int) string {
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("过长（%d 字，最多 %d 字）", n, max)
	}
	if !utf8.ValidString(s) {
		return "含有无法识别的字符（文件编码应为 UTF-8 或 GBK）"
	}
	return ""
}

// checkURL accepts an empty cell, an http(s) URL or a path on this site.
func checkURL(s string, max int) string {
	switch {
	case s == "":
		return ""
	case len(s) > max:
		return fmt.Sprintf("过长（最多 %d 个字符）", max)
	case strings.HasPrefix(s, "https://"), strings.HasPrefix(s, "http://"), strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//"):
		if strings.ContainsAny(s, " \t\r\n\"<>") {
			return "链接中不能有空格或引号"
		}
		return ""
	}
	return "应以 https:// 或 http:// 开头"
}

// chinaTime is where a time written without a zone is read (the retailer's clock).
var chinaTime = time.FixedZone("CST", 8*3600)

var timeLayouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006/01/02 15:04:05", "2006/01/02 15:04",
	"2006/1/2 15:04:05", "2006/1/2 15:04", "2006-01-02T15:04:05", "2006-01-02", "2006/1/2"}

// parseTime reads RFC 3339, a date and time without zone (China time), or an Excel date serial
// (days since 1899-12-30, what an XLSX date cell holds).
func parseTime(s string) (time.Time, string) {
	if s == "" {
		return time.Time{}, "不能为空"
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, ""
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, chinaTime); err == nil {
			return t, ""
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 20000 && f < 80000 { // 1954 … 2119
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, chinaTime)
		return base.Add(time.Duration(math.Round(f*86400)) * time.Second), ""
	}
	return time.Time{}, fmt.Sprintf("「%s」不是有效时间（如 2024-05-01 14:30:00 或 2024-05-01T14:30:00+08:00）", s)
}
