package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestClassifyAnswersEveryLine: one JSON object per input line, in order,
// whatever the line: a good report, a blank, bad UTF-8, one too long for
// any buffer (then the next line is still classified), CRLF endings and a
// last line without its newline.
func TestClassifyAnswersEveryLine(t *testing.T) {
	huge := strings.Repeat("欠", 1<<20) // 3 MiB on one line
	input := "老板拖欠三个月工资不给\n" +
		"\n" +
		"\xff\xfe\n" +
		huge + "\n" +
		strings.Repeat("a", 4001) + "\r\n" +
		"邻居装修噪音扰民吵了起来\r\n" +
		"两车刮擦对赔偿有争议"
	cmd := classifyCommand()
	var out bytes.Buffer
	cmd.SetIn(strings.NewReader(input))
	cmd.SetOut(&out)
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var v map[string]any
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("not JSON: %q", sc.Text())
		}
		got = append(got, v)
	}
	code := func(i int) string {
		e, _ := got[i]["error"].(map[string]any)
		s, _ := e["code"].(string)
		return s
	}
	if len(got) != 7 {
		t.Fatalf("%d answers for 7 lines: %v", len(got), got)
	}
	if got[0]["category"] != "labor" || code(0) != "" {
		t.Fatalf("line 1: %v", got[0])
	}
	for i, want := range map[int]string{1: "text_required", 2: "invalid_utf8", 3: "text_too_long", 4: "text_too_long"} {
		if code(i) != want {
			t.Fatalf("line %d: %v, want %s", i+1, got[i], want)
		}
	}
	if got[5]["category"] != "civil" || got[5]["type"] != "neighbor" {
		t.Fatalf("line 6 (CRLF): %v", got[5])
	}
	if got[6]["type"] != "traffic" {
		t.Fatalf("last line without a newline: %v", got[6])
	}
}
