package handler

import (
	"encoding/base64"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/workbench"
)

// mountLibrary adds the reply and material libraries: a guide reads the corp's and their own,
// edits their own (the corp's are edited through the admin API), and sends.
func (h *WorkbenchHandler) mountLibrary(api *gin.RouterGroup) {
	api.GET("/library/:library", h.library)
	api.POST("/library/groups", h.saveGroup(false))
	api.PUT("/library/groups/:id", h.saveGroup(false))
	api.DELETE("/library/groups/:id", h.deleteGroup(false))
	api.POST("/library/items", h.saveItem(false))
	api.PUT("/library/items/:id", h.saveItem(false))
	api.DELETE("/library/items/:id", h.deleteItem(false))
	api.PUT("/library/items/:id/image", h.putImage(false))
	api.GET("/library/items/:id/image", h.image)
	api.POST("/library/items/:id/message", h.message)
	api.POST("/sends", h.recordSend)
}

// library answers GET /api/sidebar/library/:library?q=: the corp's groups, then the guide's own.
func (h *WorkbenchHandler) library(c *gin.Context) {
	a := guide(c)
	gs, err := h.d.Workbench.Library(c.Request.Context(), a, c.Param("library"), c.Query("q"))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"groups": toLibraryDTO(gs, a.UserID)})
}

type groupRequest struct {
	Library string `json:"library"`
	Name    string `json:"name"`
	Order   int    `json:"order"`
}

// saveGroup answers POST …/library/groups (create) and PUT …/library/groups/:id (rename, reorder).
func (h *WorkbenchHandler) saveGroup(corp bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req groupRequest
		if err := c.ShouldBindJSON(&req); err != nil {
			fail(c, h.d.Log, service.Invalid("body", "must be JSON {library, name, order}"))
			return
		}
		g := workbench.Group{Library: req.Library, Name: req.Name, Order: req.Order}
		if c.Request.Method == http.MethodPut {
			id, err := pathID(c, "id")
			if err != nil {
				fail(c, h.d.Log, err)
				return
			}
			g.ID = id
		}
		a := guide(c)
		saved, err := h.d.Workbench.SaveGroup(c.Request.Context(), a, g, corp)
		if err != nil {
			fail(c, h.d.Log, err)
			return
		}
		c.JSON(http.StatusOK, toLibraryDTO([]workbench.Group{saved}, a.UserID)[0])
	}
}

// deleteGroup answers DELETE …/library/groups/:id: the group and its items.
func (h *WorkbenchHandler) deleteGroup(corp bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c, "id")
		if err == nil {
			err = h.d.Workbench.DeleteGroup(c.Request.Context(), guide(c), id, corp)
		}
		if err != nil {
			fail(c, h.d.Log, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

type itemRequest struct {
	GroupID int64  `json:"group_id"`
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	Content string `json:"content"`
	URL     string `json:"url"`
	PicURL  string `json:"pic_url"`
	AppID   string `json:"appid"`
	Page    string `json:"page"`
	Order   int    `json:"order"`
}

// saveItem answers POST …/library/items (create) and PUT …/library/items/:id (rewrite).
func (h *WorkbenchHandler) saveItem(corp bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req itemRequest
		if err := c.ShouldBindJSON(&req); err != nil {
			fail(c, h.d.Log, service.Invalid("body", "must be JSON {group_id, kind, title, content, url, pic_url, appid, page}"))
			return
		}
		it := workbench.Item{GroupID: req.GroupID, Kind: req.Kind, Title: req.Title, Content: req.Content, URL: req.URL,
			PicURL: req.PicURL, AppID: req.AppID, Page: req.Page, Order: req.Order}
		if c.Request.Method == http.MethodPut {
			id, err := pathID(c, "id")
			if err != nil {
				fail(c, h.d.Log, err)
				return
			}
			it.ID = id
		}
		a := guide(c)
		saved, err := h.d.Workbench.SaveItem(c.Request.Context(), a, it, corp)
		if err != nil {
			fail(c, h.d.Log, err)
			return
		}
		c.JSON(http.StatusOK, toItemDTO(saved, a.UserID))
	}
}

// deleteItem answers DELETE …/library/items/:id.
func (h *WorkbenchHandler) deleteItem(corp bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c, "id")
		if err == nil {
			err = h.d.Workbench.DeleteItem(c.Request.Context(), guide(c), id, corp)
		}
		if err != nil {
			fail(c, h.d.Log, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

type imageRequest struct {
	Data string `json:"data"` // the picture, base64
}

// putImage answers PUT …/library/items/:id/image {data: base64 of a JPG or PNG up to 2 MiB}.
func (h *WorkbenchHandler) putImage(corp bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 3<<20)
		var req imageRequest
		if err := c.ShouldBindJSON(&req); err != nil {
			fail(c, h.d.Log, service.Invalid("image", "must be JSON {data: base64}, a picture of up to 2 MiB"))
			return
		}
		data, err := base64.StdEncoding.DecodeString(req.Data)
		if err != nil {
			fail(c, h.d.Log, service.Invalid("image", "data must be base64"))
			return
		}
		id, err := pathID(c, "id")
		if err == nil {
			err = h.d.Workbench.PutImage(c.Request.Context(), guide(c), id, data, corp)
		}
		if err != nil {
			fail(c, h.d.Log, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

// image answers GET /api/sidebar/library/items/:id/image with the picture, for previews.
func (h *WorkbenchHandler) image(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	img, err := h.d.Workbench.Image(c.Request.Context(), guide(c), id)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.Header("Cache-Control", "private, max-age=300")
	c.Data(http.StatusOK, img.ContentType, img.Data)
}

type targetRequest struct {
	ItemID         int64  `json:"item_id"`
	ExternalUserID string `json:"external_userid"`
	ChatID         string `json:"chat_id"`
}

// message answers POST /api/sidebar/library/items/:id/message {external_userid|chat_id} with what to
// pass to sendChatMessage (an image is uploaded to WeCom first, once per 3 days).
func (h *WorkbenchHandler) message(c *gin.Context) {
	var req targetRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		fail(c, h.d.Log, service.Invalid("body", "must be JSON {external_userid | chat_id}"))
		return
	}
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	m, err := h.d.Workbench.Message(c.Request.Context(), guide(c), id, workbench.Target{ExternalUserID: req.ExternalUserID, ChatID: req.ChatID})
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, toMessageDTO(m))
}

// recordSend answers POST /api/sidebar/sends {item_id, external_userid|chat_id}: what was sent, to
// whom, by whom (after sendChatMessage succeeded).
func (h *WorkbenchHandler) recordSend(c *gin.Context) {
	var req targetRequest
	if err := c.ShouldBindJSON(&req); err != nil || req.ItemID <= 0 {
		fail(c, h.d.Log, service.Invalid("body", "must be JSON {item_id, external_userid | chat_id}"))
		return
	}
	sd, err := h.d.Workbench.RecordSend(c.Request.Context(), guide(c), req.ItemID,
		workbench.Target{ExternalUserID: req.ExternalUserID, ChatID: req.ChatID})
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusCreated, sendDTO{ID: sd.ID, ItemID: sd.ItemID, ExternalUserID: sd.ExternalUserID, ChatID: sd.ChatID,
		Kind: sd.Kind, Title: sd.Title, SentAt: sd.SentAt})
}
