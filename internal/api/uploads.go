package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
)

// MaxUpload bounds an imported file: a zone's whole enterprise list fits.
const MaxUpload = 16 << 20

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// readTable reads an uploaded CSV or XLSX body: the format comes from
// ?format=, else the Content-Type, else the file's first bytes.
func readTable(w http.ResponseWriter, r *http.Request) ([][]string, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxUpload))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errUploadTooLarge
		}
		return nil, casework.Invalid("unreadable_body", "无法读取上传的文件：%v", err)
	}
	if len(body) == 0 {
		return nil, casework.Invalid("empty_body", "上传的文件为空")
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		ct := r.Header.Get("Content-Type")
		switch {
		case strings.HasPrefix(ct, xlsxType), bytes.HasPrefix(body, []byte("PK\x03\x04")):
			format = "xlsx"
		default:
			format = "csv"
		}
	}
	rows, err := routing.ReadTable(bytes.NewReader(body), format)
	if err != nil {
		return nil, err
	}
	for i, row := range rows {
		for j, cell := range row {
			if strings.ContainsRune(cell, 0) {
				return nil, casework.Invalid("invalid_character", "第 %d 行第 %d 列含有空字符（U+0000），请删除后重新导入", i+1, j+1)
			}
		}
	}
	return rows, nil
}

// rowErrors answers an import refused for bad rows: nothing was imported.
type rowErrors struct {
	Error errorDetail        `json:"error"`
	Rows  []routing.RowError `json:"rows"`
}

func writeRowErrors(w http.ResponseWriter, errs []routing.RowError) {
	writeJSON(w, http.StatusBadRequest, rowErrors{
		Error: errorDetail{Code: "invalid_rows", Message: "导入文件有错误，未导入任何数据，请按行修改后重新导入"},
		Rows:  errs,
	})
}

// writeTable answers an export in the format asked for (?format=csv|xlsx).
func (s *Server) writeTable(w http.ResponseWriter, r *http.Request, name string, rows [][]string) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	switch format {
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	case "xlsx":
		w.Header().Set("Content-Type", xlsxType)
	default:
		s.fail(w, r, casework.Invalid("invalid_format", "format 须为 csv 或 xlsx"))
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	if err := routing.WriteTable(w, format, name, rows); err != nil {
		s.log.Warn("export", "err", err)
	}
}
