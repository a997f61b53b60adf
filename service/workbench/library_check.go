package workbench

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/guidebox/guidebox/service"
)

// checkItem checks an item's fields for its library and kind and trims them.
func checkItem(it *Item) error {
	for _, p := range []*string{&it.Title, &it.Content, &it.URL, &it.PicURL, &it.AppID, &it.Page} {
		*p = strings.TrimSpace(*p)
	}
	if utf8.RuneCountInString(it.Title) > maxTitleRunes {
		return service.Invalid("title", fmt.Sprintf("at most %d characters", maxTitleRunes))
	}
	switch {
	case it.Library == LibraryReply && it.Kind != KindText:
		return service.Invalid("kind", "quick replies are text")
	case it.Library == LibraryMaterial && it.Kind != KindImage && it.Kind != KindLink && it.Kind != KindMiniProgram:
		return service.Invalid("kind", "materials are image, link or miniprogram")
	}
	switch it.Kind {
	case KindText:
		if it.Content == "" || utf8.RuneCountInString(it.Content) > maxTextContent {
			return service.Invalid("content", fmt.Sprintf("1 to %d characters", maxTextContent))
		}
		it.URL, it.PicURL, it.AppID, it.Page = "", "", "", ""
	case KindImage:
		if it.Title == "" {
			return service.Invalid("title", "name the picture")
		}
		it.Content, it.URL, it.PicURL, it.AppID, it.Page = "", "", "", "", ""
	case KindLink:
		return checkLink(it)
	case KindMiniProgram:
		return checkMiniProgram(it)
	}
	return nil
}

func checkLink(it *Item) error {
	switch {
	case it.Title == "":
		return service.Invalid("title", "a link card needs a title")
	case !httpURL(it.URL):
		return service.Invalid("url", "an http(s) address")
	case it.PicURL != "" && !picURL(it.PicURL):
		return service.Invalid("pic_url", "an http(s) address or a path on this site")
	case utf8.RuneCountInString(it.Content) > maxLinkDesc:
		return service.Invalid("content", fmt.Sprintf("a link card's description is at most %d characters", maxLinkDesc))
	}
	it.AppID, it.Page = "", ""
	return nil
}

func checkMiniProgram(it *Item) error {
	switch {
	case it.Title == "":
		return service.Invalid("title", "a mini-program card needs a title")
	case len(it.AppID) != 18 || !strings.HasPrefix(it.AppID, "wx"):
		return service.Invalid("appid", "a mini-program appid (wx and 16 characters)")
	case it.Page == "" || len(it.Page) > maxPage || strings.ContainsAny(it.Page, " \t\r\n"):
		return service.Invalid("page", "the mini-program page path, e.g. pages/index/index.html")
	case !picURL(it.PicURL):
		return service.Invalid("pic_url", "the cover, an http(s) address or a path on this site")
	}
	it.Content, it.URL = "", ""
	return nil
}

// picURL accepts an http(s) address or a path on this site ("/…", made absolute by the sidebar).
func picURL(u string) bool {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		return len(u) <= maxURL && !strings.ContainsAny(u, " \t\r\n\"'<>\\")
	}
	return httpURL(u)
}

func httpURL(u string) bool {
	return len(u) <= maxURL && (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) &&
		len(u) > len("https://") && !strings.ContainsAny(u, " \t\r\n\"'<>")
}
