package handler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/handler/sheet"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
)

// MaxUploadBytes bounds an import uploaded to the admin API; larger files go through the CLI
// (guidebox products import FILE), which streams CSV without a bound.
const MaxUploadBytes = 256 << 20

type rowErrorDTO struct {
	Line   int    `json:"line"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// reportDTO is an import's report; the CLI prints the same.
type reportDTO struct {
	Rows     int           `json:"rows"`
	Imported int           `json:"imported"`
	Refused  int           `json:"refused"`
	Orders   int           `json:"orders,omitempty"`
	Errors   []rowErrorDTO `json:"errors"`
	Unlisted int           `json:"unlisted"` // reasons beyond the listed ones
}

func toReportDTO(r catalog.Report) reportDTO {
	d := reportDTO{Rows: r.Rows, Imported: r.Imported, Refused: r.Refused, Orders: r.Orders, Errors: make([]rowErrorDTO, len(r.Errors)), Unlisted: r.Dropped}
	for i, e := range r.Errors {
		d.Errors[i] = rowErrorDTO{Line: e.Line, Field: e.Field, Reason: e.Reason}
	}
	return d
}

type importFailedBody struct {
	errorBody
	Report reportDTO `json:"report"`
}

// importProducts answers POST /api/admin/products/import (multipart, field "file": CSV or XLSX):
// 200 with the report (refused rows listed), 400 if the file cannot be read.
func (h *AdminHandler) importProducts(c *gin.Context) { h.runImport(c, h.d.Catalog.ImportProducts) }

// importOrders answers POST /api/admin/orders/import like importProducts.
func (h *AdminHandler) importOrders(c *gin.Context) { h.runImport(c, h.d.Catalog.ImportOrders) }

func (h *AdminHandler) runImport(c *gin.Context, run func(context.Context, catalog.Rows) (catalog.Report, error)) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxUploadBytes)
	rows, err := uploadedTable(c)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	defer rows.Close()
	rep, err := run(c.Request.Context(), rows)
	if err != nil {
		if rep.Rows == 0 {
			fail(c, h.d.Log, err)
			return
		}
		code, name := status(err) // part of the file was imported before it failed: say how much
		msg := err.Error()
		if code >= 500 {
			h.d.Log.ErrorContext(c.Request.Context(), "import failed", "route", c.FullPath(), "err", err)
			msg = http.StatusText(code)
		}
		c.AbortWithStatusJSON(code, importFailedBody{errorBody{Code: name, Message: msg}, toReportDTO(rep)})
		return
	}
	h.d.Log.InfoContext(c.Request.Context(), "import done", "route", c.FullPath(), "admin", actor(c),
		"rows", rep.Rows, "imported", rep.Imported, "refused", rep.Refused)
	c.JSON(http.StatusOK, toReportDTO(rep))
}

// uploadedTable opens the multipart part named "file" as a table, streaming it.
func uploadedTable(c *gin.Context) (*sheet.Reader, error) {
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, service.Invalid("file", "upload the file as multipart/form-data, field \"file\"")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, service.Invalid("file", "no part named \"file\" in the upload")
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, mbe
		}
		if err != nil {
			return nil, service.Invalid("file", "malformed multipart body")
		}
		if part.FormName() == "file" {
			return openPart(part)
		}
	}
}

func openPart(part *multipart.Part) (*sheet.Reader, error) {
	r, err := sheet.NewReader(part)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, mbe
	case err != nil:
		return nil, service.Invalid("file", err.Error())
	}
	return r, nil
}

// exportProducts answers GET /api/admin/products/export?format=csv|xlsx with the whole catalogue,
// in the columns an import reads back.
func (h *AdminHandler) exportProducts(c *gin.Context) {
	f := sheet.Format(c.DefaultQuery("format", "xlsx"))
	if f != sheet.CSV && f != sheet.XLSX {
		fail(c, h.d.Log, service.Invalid("format", "csv or xlsx"))
		return
	}
	ctype := "text/csv; charset=utf-8"
	if f == sheet.XLSX {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	c.Header("Content-Type", ctype)
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="products-%s.%s"`, time.Now().Format("20060102"), f))
	w, err := sheet.NewWriter(c.Writer, f)
	if err == nil {
		err = h.d.Catalog.ExportProducts(c.Request.Context(), w)
		err = errors.Join(err, w.Close())
	}
	if err != nil { // the status may be sent already: log it, the download ends short
		h.d.Log.ErrorContext(c.Request.Context(), "export failed", "route", c.FullPath(), "err", err)
		if !c.Writer.Written() {
			fail(c, h.d.Log, err)
		}
	}
}
