package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/sla"
)

// MaxBody bounds a request body: 1 MiB.
const MaxBody = 1 << 20

// errTooLarge answers a body over MaxBody with 413, errUploadTooLarge an
// imported file over MaxUpload.
var (
	errTooLarge       = &casework.Error{Kind: casework.KindInvalid, Code: "body_too_large", Message: "请求体超过 1 MiB"}
	errUploadTooLarge = &casework.Error{Kind: casework.KindInvalid, Code: "body_too_large", Message: "上传的文件超过 16 MiB"}
)

// readBody reads a JSON (or YAML) body whole, refusing what is too large,
// not UTF-8, or holds a NUL byte. (Its JSON decoders refuse the escape
// \u0000 too; in YAML a backslash may be plain text.)
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if enc := r.Header.Get("Content-Encoding"); enc != "" && !strings.EqualFold(enc, "identity") {
		return nil, casework.Invalid("unsupported_content_encoding", "不支持压缩的请求体（Content-Encoding: %s），请直接发送 UTF-8 JSON", enc)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errTooLarge
		}
		return nil, casework.Invalid("unreadable_body", "无法读取请求体：%v", err)
	}
	if !utf8.Valid(body) {
		return nil, casework.Invalid("invalid_utf8", "请求体不是合法的 UTF-8 文本")
	}
	if bytes.IndexByte(body, 0) >= 0 {
		return nil, errNUL
	}
	return body, nil
}

// readJSONBody reads a body that must hold a JSON value.
func readJSONBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, casework.Invalid("empty_body", "请求体为空，应为 JSON 对象")
	}
	return body, nil
}

// errNUL answers text holding the character U+0000: no field needs it,
// and PostgreSQL cannot store it.
var errNUL = casework.Invalid("invalid_character", "请求中含有空字符（U+0000），请删除后重试")

// nulEscape reports whether a JSON text spells U+0000 (\u0000) in a
// string. (A raw NUL byte is no JSON at all; a backslash outside a string
// neither, so every backslash here starts an escape.)
func nulEscape(body []byte) bool {
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' {
			continue
		}
		if i+5 < len(body) && body[i+1] == 'u' && string(body[i+2:i+6]) == "0000" {
			return true
		}
		i++ // the escaped character: the second backslash of \\ starts nothing
	}
	return false
}

// decodeJSON reads the body into v and explains what is wrong with it.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) ([]byte, error) {
	body, err := readJSONBody(w, r)
	if err != nil {
		return nil, err
	}
	if err := jsonUnmarshal(body, v); err != nil {
		return nil, err
	}
	return body, nil
}

func explainJSON(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := jsonPath(typeErr.Field)
		if field == "" {
			return casework.Invalid("invalid_json", "请求体应为 JSON 对象，收到的是 %s", typeErr.Value)
		}
		return casework.Invalid("invalid_field", "字段 %s 的类型不对：应为 %s，收到的是 %s", field, jsonType(typeErr.Type.Kind().String()), jsonValue(typeErr.Value))
	case errors.As(err, &syntaxErr):
		return casework.Invalid("invalid_json", "JSON 格式错误（第 %d 字节附近）：%v", syntaxErr.Offset, syntaxErr)
	}
	var fe *fieldError
	if errors.As(err, &fe) {
		return casework.Invalid("invalid_field", "字段 %s 无效：%s", fe.field, fe.msg)
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return casework.Invalid("unknown_field", "未知字段 %s", name)
	}
	if errors.Is(err, sla.ErrDateFormat) {
		// encoding/json does not say which field a date came from.
		return casework.Invalid("invalid_date", "日期无效：须为 YYYY-MM-DD 格式的真实日期")
	}
	return casework.Invalid("invalid_json", "JSON 格式错误：%v", err)
}

// jsonPath keeps the JSON names of a field's path: encoding/json names an
// embedded struct's field by its Go type too (ValueInput.value → value).
func jsonPath(field string) string {
	var keep []string
	for _, part := range strings.Split(field, ".") {
		if r, _ := utf8.DecodeRuneInString(part); !unicode.IsUpper(r) {
			keep = append(keep, part)
		}
	}
	return strings.Join(keep, ".")
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "字符串"
	case "bool":
		return "布尔值"
	case "struct", "map":
		return "对象"
	case "slice", "array":
		return "数组"
	case "ptr":
		return "对象或数值"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "整数"
	}
	return "数值"
}

// jsonValue names what encoding/json found ("number 4.5", "string") in
// Chinese.
func jsonValue(v string) string {
	kind, rest, _ := strings.Cut(v, " ")
	name := map[string]string{"number": "数值", "string": "字符串", "bool": "布尔值", "array": "数组", "object": "对象"}[kind]
	if name == "" {
		return v
	}
	if rest != "" {
		return name + " " + rest
	}
	return name
}

// fieldError is a field that parsed as JSON but holds a value the field
// cannot take (for example a time that is not RFC 3339).
type fieldError struct {
	field, msg string
}

func (e *fieldError) Error() string { return fmt.Sprintf("%s: %s", e.field, e.msg) }

// decodeReplacement is decodeJSON for a body that replaces a setting
// whole: a key the setting does not have is refused (a misspelt key must
// not pass for an empty setting).
func decodeReplacement(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readJSONBody(w, r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return explainJSON(err)
	}
	if dec.More() {
		return casework.Invalid("invalid_json", "请求体应为一个 JSON 对象，其后还有内容")
	}
	return nil
}

// onlyParams refuses a query that holds a parameter other than allowed: a
// misspelt filter must not pass for no filter.
func onlyParams(q url.Values, allowed ...string) error {
	for k := range q {
		if !slices.Contains(allowed, k) {
			return casework.Invalid("unknown_parameter", "未知的查询参数“%s”", k)
		}
	}
	return nil
}

// jsonUnmarshal decodes an already read body and explains what is wrong.
func jsonUnmarshal(body []byte, v any) error {
	if nulEscape(body) {
		return errNUL
	}
	if err := json.Unmarshal(body, v); err != nil {
		return explainJSON(err)
	}
	return nil
}

// overrideDate reads the date of the i-th item (from 0) of an overrides
// list, naming the item and field when it is missing or no real day.
func overrideDate(i int, raw *string) (sla.Date, error) {
	if raw == nil {
		return sla.Date{}, casework.Invalid("invalid_date", "overrides 第 %d 项：缺少 date", i+1)
	}
	d, err := sla.ParseDate(*raw)
	if err != nil {
		return sla.Date{}, casework.Invalid("invalid_date", "overrides 第 %d 项：date 须为 YYYY-MM-DD 格式的真实日期，收到“%s”", i+1, *raw)
	}
	return d, nil
}
