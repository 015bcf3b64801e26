package routing

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yizhan/yizhan/internal/casework"
)

// Industry is one of the zone's eight hardware industries (五金产业).
type Industry string

// Industries of the hardware city, with their Chinese names.
var Industries = map[Industry]string{
	"vehicle":    "车业（电动车、休闲车）",
	"door":       "门业",
	"power_tool": "电动工具",
	"cup":        "杯壶",
	"metal":      "金属材料",
	"cookware":   "炊具厨具",
	"leisure":    "休闲运动器材",
	"appliance":  "小家电",
}

// Enterprise is a company of the zone, known to its grid.
type Enterprise struct {
	ID          int64              `json:"id"`
	Name        string             `json:"name"`
	CreditCode  string             `json:"credit_code"` // 统一社会信用代码
	Address     string             `json:"address"`
	Location    *casework.Location `json:"location"`
	Industry    Industry           `json:"industry"`
	Headcount   int                `json:"headcount"`
	GridID      *int64             `json:"grid_id"`      // its enterprise grid (企业专属网格)
	GridWorker  *int64             `json:"grid_worker"`  // the person who looks after it
	MicroCenter *int64             `json:"micro_center"` // its own micro-center unit, if it has one
	CreatedAt   time.Time          `json:"created_at"`
	UpdatedAt   time.Time          `json:"updated_at"`
}

// creditCodeChars are the characters of a 统一社会信用代码 (GB 32100-2015):
// digits and capitals without I, O, S, V, Z. The index is the value.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights are 3^(i) mod 31 for the first 17 positions.
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheck computes the check character for the first 17
// characters of a credit code.
func CreditCodeCheck(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeChars, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditCodeWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditCodeChars[c], true
}

// ValidCreditCode checks an 18-character 统一社会信用代码 and its GB 32100
// check digit.
func ValidCreditCode(code string) bool {
	if len(code) != 18 {
		return false
	}
	want, ok := CreditCodeCheck(code[:17])
	return ok && code[17] == want
}

// NewEnterprise is an enterprise to create or import.
type NewEnterprise struct {
	Name       string             `json:"name"`
	CreditCode string             `json:"credit_code"`
	Address    string             `json:"address"`
	Location   *casework.Location `json:"location"`
	Industry   Industry           `json:"industry"`
	Headcount  int                `json:"headcount"`
	GridID     *int64             `json:"grid_id"`
	GridWorker *int64             `json:"grid_worker"`
	// MicroCenter is the enterprise's own unit (企业微中心), of kind
	// enterprise, whose accounts speak for it; left out, an update keeps
	// the one it had; 0 removes it.
	MicroCenter *int64 `json:"micro_center"`
}

// Validate checks an enterprise against the directory: its first problem.
func (n *NewEnterprise) Validate(dir *Directory) error {
	if ps := n.Problems(dir); len(ps) > 0 {
		return ps[0]
	}
	return nil
}

// Problems lists everything wrong with an enterprise, so that an import
// reports a row's problems at once rather than one per upload. It tidies
// the name, code and address on the way.
func (n *NewEnterprise) Problems(dir *Directory) []error {
	n.Name = strings.TrimSpace(n.Name)
	n.CreditCode = strings.ToUpper(strings.TrimSpace(n.CreditCode))
	n.Address = strings.TrimSpace(n.Address)
	var out []error
	if n.Name == "" || !utf8.ValidString(n.Name) || utf8.RuneCountInString(n.Name) > 100 {
		out = append(out, casework.Invalid("invalid_name", "企业名称不能为空，最长 100 字"))
	}
	if utf8.RuneCountInString(n.Address) > 200 {
		out = append(out, casework.Invalid("invalid_address", "地址最长 200 字"))
	}
	if !ValidCreditCode(n.CreditCode) {
		out = append(out, casework.Invalid("invalid_credit_code", "统一社会信用代码“%s”无效（应为 18 位且校验位符合 GB 32100）", n.CreditCode))
	}
	if n.Industry != "" {
		if _, ok := Industries[n.Industry]; !ok {
			out = append(out, casework.Invalid("invalid_industry", "行业“%s”不是开发区八大五金产业之一", n.Industry))
		}
	}
	if n.Headcount < 0 || n.Headcount > 1_000_000 {
		out = append(out, casework.Invalid("invalid_headcount", "职工人数须为 0 到 1000000"))
	}
	if n.Location != nil && !n.Location.Valid() {
		out = append(out, casework.Invalid("invalid_location", "坐标超出 WGS-84 范围"))
	}
	if n.GridID != nil {
		u, ok := dir.Unit(*n.GridID)
		if !ok || u.Kind != KindGrid {
			out = append(out, casework.Invalid("invalid_grid", "网格 %d 不存在或不是网格", *n.GridID))
		}
	}
	if n.MicroCenter != nil && *n.MicroCenter != 0 {
		u, ok := dir.Unit(*n.MicroCenter)
		if !ok || u.Kind != KindEnterprise {
			out = append(out, casework.Invalid("invalid_micro_center", "微中心 %d 不存在或不是企业类单位", *n.MicroCenter))
		}
	}
	return out
}
