package routing

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/yizhan/yizhan/internal/casework"
)

// RowError is one bad cell of an import, as the user sees it in the sheet:
// row 1 is the header, so the first data row is row 2.
type RowError struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// MaxImportRows bounds one import.
const MaxImportRows = 50_000

// ReadTable reads a CSV (UTF-8, with or without BOM, or GBK/GB18030, the
// default of Chinese Excel's 另存为 CSV) or the first sheet of an XLSX file
// into rows of cells.
func ReadTable(r io.Reader, format string) ([][]string, error) {
	switch format {
	case "csv":
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, casework.Invalid("unreadable_file", "无法读取文件：%v", err)
		}
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		if b, err = utf8CSV(b); err != nil {
			return nil, err
		}
		cr := csv.NewReader(bytes.NewReader(b))
		cr.FieldsPerRecord = -1
		cr.TrimLeadingSpace = true
		rows, err := cr.ReadAll()
		if err != nil {
			return nil, casework.Invalid("invalid_csv", "CSV 格式错误：%v", err)
		}
		return rows, nil
	case "xlsx":
		f, err := excelize.OpenReader(r)
		if err != nil {
			return nil, casework.Invalid("invalid_xlsx", "不是有效的 XLSX 文件：%v", err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, casework.Invalid("invalid_xlsx", "XLSX 文件中没有工作表")
		}
		rows, err := f.GetRows(sheets[0])
		if err != nil {
			return nil, casework.Invalid("invalid_xlsx", "无法读取工作表：%v", err)
		}
		return rows, nil
	}
	return nil, casework.Invalid("invalid_format", "文件格式须为 csv 或 xlsx")
}

// utf8CSV answers a CSV's bytes as UTF-8: as they are when they are
// UTF-8, else decoded from GB18030 (a superset of GBK). Text that is
// neither is refused rather than read as mojibake, which would surface
// as a misleading "missing column".
func utf8CSV(b []byte) ([]byte, error) {
	if utf8.Valid(b) {
		return b, nil
	}
	d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil || !utf8.Valid(d) || bytes.ContainsRune(d, utf8.RuneError) {
		return nil, casework.Invalid("invalid_encoding", "CSV 文件既不是 UTF-8 也不是 GBK 编码：请另存为“CSV UTF-8（逗号分隔）”或 XLSX 后重新上传")
	}
	return d, nil
}

// WriteTable writes rows as CSV (with a BOM, so that Excel opens it as
// UTF-8) or as an XLSX workbook with a bold header row.
func WriteTable(w io.Writer, format, sheet string, rows [][]string) error {
	switch format {
	case "csv":
		if _, err := w.Write([]byte("\xef\xbb\xbf")); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		return cw.Error()
	case "xlsx":
		f := excelize.NewFile()
		defer f.Close()
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			return err
		}
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			vals := make([]any, len(row))
			for j, v := range row {
				vals[j] = v
			}
			if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
				return err
			}
		}
		if len(rows) > 0 {
			bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
			if err != nil {
				return err
			}
			end, _ := excelize.CoordinatesToCellName(len(rows[0]), 1)
			if err := f.SetCellStyle(sheet, "A1", end, bold); err != nil {
				return err
			}
		}
		return f.Write(w)
	}
	return casework.Invalid("invalid_format", "文件格式须为 csv 或 xlsx")
}

// column is one column of an import: its Chinese header, the other
// headers accepted for it, and whether a value is required.
type column struct {
	key      string
	header   string
	aliases  []string
	required bool
}

// header maps the sheet's header row to column keys, or explains what is
// missing.
func header(row []string, cols []column) (map[string]int, []RowError) {
	idx := map[string]int{}
	for i, h := range row {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		for _, c := range cols {
			if strings.EqualFold(h, c.header) || strings.EqualFold(h, c.key) || containsFold(c.aliases, h) {
				idx[c.key] = i
			}
		}
	}
	var errs []RowError
	for _, c := range cols {
		if _, ok := idx[c.key]; !ok && c.required {
			errs = append(errs, RowError{Row: 1, Column: c.header, Message: "缺少必填列“" + c.header + "”"})
		}
	}
	return idx, errs
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func cell(row []string, idx map[string]int, key string) string {
	i, ok := idx[key]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

func blankRow(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

var peopleColumns = []column{
	{key: "name", header: "姓名", required: true},
	{key: "phone", header: "手机号", aliases: []string{"电话", "手机"}, required: true},
	{key: "role", header: "职务", aliases: []string{"角色", "岗位"}},
	{key: "unit", header: "所属单位", aliases: []string{"单位", "unit_id"}, required: true},
	{key: "skills", header: "技能", aliases: []string{"专长"}},
}

// ParsePeople reads a people sheet. Units are named by name or id; skills
// are separated by 、 , ，or ;. Every bad cell is reported; the caller
// imports nothing unless errs is empty.
func ParsePeople(rows [][]string, dir *Directory) ([]NewPerson, []RowError) {
	if len(rows) == 0 {
		return nil, []RowError{{Row: 1, Message: "文件为空"}}
	}
	if len(rows)-1 > MaxImportRows {
		return nil, []RowError{{Row: 1, Message: fmt.Sprintf("一次最多导入 %d 行", MaxImportRows)}}
	}
	idx, errs := header(rows[0], peopleColumns)
	if len(errs) > 0 {
		return nil, errs
	}
	var out []NewPerson
	phones := map[string]int{}
	for i, row := range rows[1:] {
		line := i + 2
		if blankRow(row) {
			continue
		}
		unit, uerr := unitCell(dir, cell(row, idx, "unit"))
		p := NewPerson{Name: cell(row, idx, "name"), Phone: cell(row, idx, "phone"), Role: cell(row, idx, "role"), Skills: splitSkills(cell(row, idx, "skills"))}
		if uerr != "" {
			errs = append(errs, RowError{Row: line, Column: "所属单位", Message: uerr})
			continue
		}
		p.UnitID = unit
		if err := p.Validate(dir); err != nil {
			errs = append(errs, RowError{Row: line, Column: columnOf(err), Message: messageOf(err)})
			continue
		}
		if first, dup := phones[p.Phone]; dup {
			errs = append(errs, RowError{Row: line, Column: "手机号", Message: fmt.Sprintf("与第 %d 行手机号重复", first)})
			continue
		}
		phones[p.Phone] = line
		out = append(out, p)
	}
	return out, errs
}

var enterpriseColumns = []column{
	{key: "name", header: "企业名称", aliases: []string{"名称"}, required: true},
	{key: "credit_code", header: "统一社会信用代码", aliases: []string{"信用代码"}, required: true},
	{key: "address", header: "地址"},
	{key: "lat", header: "纬度"},
	{key: "lon", header: "经度"},
	{key: "industry", header: "行业"},
	{key: "headcount", header: "职工人数", aliases: []string{"人数"}},
	{key: "grid", header: "所属网格", aliases: []string{"网格", "grid_id"}},
	{key: "grid_worker", header: "网格员"},
}

// ParseEnterprises reads an enterprise sheet. Industry may be given by
// code (door) or Chinese name (门业); the grid by name or id; the grid
// worker by name or phone from people.
func ParseEnterprises(rows [][]string, dir *Directory, people []Person) ([]NewEnterprise, []RowError) {
	if len(rows) == 0 {
		return nil, []RowError{{Row: 1, Message: "文件为空"}}
	}
	if len(rows)-1 > MaxImportRows {
		return nil, []RowError{{Row: 1, Message: fmt.Sprintf("一次最多导入 %d 行", MaxImportRows)}}
	}
	idx, errs := header(rows[0], enterpriseColumns)
	if len(errs) > 0 {
		return nil, errs
	}
	var out []NewEnterprise
	codes := map[string]int{}
	for i, row := range rows[1:] {
		line := i + 2
		if blankRow(row) {
			continue
		}
		// Every problem of a row is reported, not only its first.
		failed := false
		bad := func(col, msg string) {
			errs = append(errs, RowError{Row: line, Column: col, Message: msg})
			failed = true
		}
		e := NewEnterprise{Name: cell(row, idx, "name"), CreditCode: cell(row, idx, "credit_code"), Address: cell(row, idx, "address")}
		if ind := cell(row, idx, "industry"); ind != "" {
			code, ok := industryCode(ind)
			if !ok {
				bad("行业", "“"+ind+"”不是八大五金产业之一")
			}
			e.Industry = code
		}
		if h := cell(row, idx, "headcount"); h != "" {
			n, err := strconv.Atoi(h)
			if err != nil {
				bad("职工人数", "“"+h+"”不是整数")
			}
			e.Headcount = n
		}
		lat, lon := cell(row, idx, "lat"), cell(row, idx, "lon")
		if lat != "" || lon != "" {
			la, err1 := strconv.ParseFloat(lat, 64)
			lo, err2 := strconv.ParseFloat(lon, 64)
			if err1 != nil || err2 != nil {
				bad("纬度/经度", "坐标须同时给出且为数字")
			}
			e.Location = &casework.Location{Lat: la, Lon: lo}
		}
		if g := cell(row, idx, "grid"); g != "" {
			if id, msg := unitCell(dir, g); msg != "" {
				bad("所属网格", msg)
			} else {
				e.GridID = &id
			}
		}
		if w := cell(row, idx, "grid_worker"); w != "" {
			id, ok := personCell(people, w)
			if !ok {
				bad("网格员", "通讯录中没有唯一的“"+w+"”（可填姓名或手机号）")
			}
			e.GridWorker = &id
		}
		for _, err := range e.Problems(dir) {
			bad(columnOf(err), messageOf(err))
		}
		if first, dup := codes[e.CreditCode]; dup {
			bad("统一社会信用代码", fmt.Sprintf("与第 %d 行重复", first))
		}
		if failed {
			continue
		}
		codes[e.CreditCode] = line
		out = append(out, e)
	}
	return out, errs
}

// PeopleRows is the export of people, with the import's headers.
func PeopleRows(ps []Person, dir *Directory) [][]string {
	rows := [][]string{headers(peopleColumns)}
	for _, p := range ps {
		unit := strconv.FormatInt(p.UnitID, 10)
		if u, ok := dir.Unit(p.UnitID); ok {
			unit = u.Name
		}
		rows = append(rows, []string{p.Name, p.Phone, p.Role, unit, strings.Join(p.Skills, "、")})
	}
	return rows
}

// EnterpriseRows is the export of enterprises, with the import's headers.
func EnterpriseRows(es []Enterprise, dir *Directory, people []Person) [][]string {
	rows := [][]string{headers(enterpriseColumns)}
	names := map[int64]string{}
	for _, p := range people {
		names[p.ID] = p.Phone
	}
	for _, e := range es {
		lat, lon, grid, worker := "", "", "", ""
		if e.Location != nil {
			lat, lon = strconv.FormatFloat(e.Location.Lat, 'f', -1, 64), strconv.FormatFloat(e.Location.Lon, 'f', -1, 64)
		}
		if e.GridID != nil {
			if u, ok := dir.Unit(*e.GridID); ok {
				grid = u.Name
			}
		}
		if e.GridWorker != nil {
			worker = names[*e.GridWorker]
		}
		rows = append(rows, []string{e.Name, e.CreditCode, e.Address, lat, lon, Industries[e.Industry], strconv.Itoa(e.Headcount), grid, worker})
	}
	return rows
}

func headers(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.header
	}
	return out
}

func industryCode(v string) (Industry, bool) {
	if _, ok := Industries[Industry(v)]; ok {
		return Industry(v), true
	}
	for code, label := range Industries {
		if v == label || strings.HasPrefix(label, v) {
			return code, true
		}
	}
	return "", false
}

func unitCell(dir *Directory, v string) (int64, string) {
	if id, err := strconv.ParseInt(v, 10, 64); err == nil {
		if _, ok := dir.Unit(id); ok {
			return id, ""
		}
		return 0, fmt.Sprintf("单位 %d 不存在", id)
	}
	if v == "" {
		return 0, "不能为空"
	}
	u, ok := dir.UnitByName(v)
	if !ok {
		return 0, "没有唯一名为“" + v + "”的单位"
	}
	return u.ID, ""
}

func personCell(people []Person, v string) (int64, bool) {
	var found []int64
	for _, p := range people {
		if p.Phone == v || p.Name == v {
			found = append(found, p.ID)
		}
	}
	if len(found) != 1 {
		return 0, false
	}
	return found[0], true
}

func splitSkills(v string) []string {
	out := []string{}
	for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ';' || r == '；' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

var codeColumns = map[string]string{
	"invalid_name": "姓名/名称", "invalid_phone": "手机号", "unknown_unit": "所属单位", "invalid_credit_code": "统一社会信用代码",
	"invalid_industry": "行业", "invalid_headcount": "职工人数", "invalid_location": "纬度/经度", "invalid_grid": "所属网格",
	"invalid_address": "地址", "invalid_role": "职务", "invalid_skills": "技能",
}

func columnOf(err error) string {
	if e, ok := casework.AsError(err); ok {
		return codeColumns[e.Code]
	}
	return ""
}

func messageOf(err error) string {
	if e, ok := casework.AsError(err); ok {
		return e.Message
	}
	return err.Error()
}
