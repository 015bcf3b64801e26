package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/triage"
)

// loadTaxonomy reads the taxonomy file a --taxonomy flag names, or gives
// the built-in taxonomy when none is named.
func loadTaxonomy(file string) (*triage.Taxonomy, error) {
	if file == "" {
		return triage.DefaultTaxonomy(), nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("--taxonomy: %w", err)
	}
	defer f.Close()
	tax, err := triage.LoadTaxonomy(f)
	if err != nil {
		return nil, fmt.Errorf("--taxonomy %s: %w", file, err)
	}
	return tax, nil
}

// loadModel trains the triage model from the built-in corpus, with the
// rules of a taxonomy file when one is given.
func loadModel(taxonomyFile string) (*triage.Model, error) {
	tax, err := loadTaxonomy(taxonomyFile)
	if err != nil {
		return nil, err
	}
	return triage.Train(tax, triage.BuiltinExamples())
}

type classifyError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// classifyCommand reads one report per line and writes one JSON object per
// line, the fields of POST /api/v1/triage in its order. A line it cannot
// read (empty, too long, not UTF-8) gets an error object in its place, so
// that the output stays line for line with the input.
func classifyCommand() *cobra.Command {
	var taxonomy string
	cmd := &cobra.Command{
		Use: "classify",
		Short: msg("逐条研判报警和诉求：标准输入每行一条文本，标准输出每行一个 JSON 对象",
			"triage reports: one text per line on stdin, one JSON object per line on stdout"),
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := loadModel(taxonomy)
			if err != nil {
				return err
			}
			in := bufio.NewReaderSize(cmd.InOrStdin(), 64*1024)
			out := bufio.NewWriter(cmd.OutOrStdout())
			defer out.Flush()
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			for {
				line, tooLong, err := readLine(in, maxClassifyLine)
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return err
				}
				if tooLong {
					err = classifyFailure(enc, "text_too_long", fmt.Sprintf("该行超过 %d 字", casework.MaxTextLen))
				} else {
					err = classifyLine(enc, m, line)
				}
				if err != nil {
					return err
				}
			}
		},
	}
	cmd.Flags().StringVar(&taxonomy, "taxonomy", "", msg("分类体系文件（YAML），替换内置研判规则", "YAML taxonomy file replacing the built-in triage rules"))
	return cmd
}

// maxClassifyLine bounds the bytes of a line classify holds: a text of
// casework.MaxTextLen characters takes at most four times as many. A longer
// line is read through to its end and answered text_too_long.
const maxClassifyLine = 4*casework.MaxTextLen + 1

// readLine reads one line (without its \n or \r\n), however long, holding
// at most max bytes of it: tooLong says it had more. err is io.EOF only
// when no line was left.
func readLine(r *bufio.Reader, max int) (line string, tooLong bool, err error) {
	var buf []byte
	read := false
	for {
		chunk, err := r.ReadSlice('\n')
		read = read || len(chunk) > 0
		if !tooLong {
			if len(buf)+len(chunk) > max+2 { // +2: the line's own \r\n
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && read:
			err = nil
		case err != nil && err != io.EOF:
			return "", false, err
		}
		if err == io.EOF {
			return "", false, io.EOF
		}
		buf = bytes.TrimSuffix(bytes.TrimSuffix(buf, []byte("\n")), []byte("\r"))
		return string(buf), tooLong, nil
	}
}

func classifyFailure(enc *json.Encoder, code, msg string) error {
	var e classifyError
	e.Error.Code, e.Error.Message = code, msg
	return enc.Encode(e)
}

func classifyLine(enc *json.Encoder, m *triage.Model, line string) error {
	fail := func(code, msg string) error { return classifyFailure(enc, code, msg) }
	switch {
	case !utf8.ValidString(line):
		return fail("invalid_utf8", "该行不是合法的 UTF-8 文本")
	case triage.Validate(line) != nil:
		return fail("text_required", "该行没有内容")
	case utf8.RuneCountInString(line) > casework.MaxTextLen:
		return fail("text_too_long", fmt.Sprintf("该行超过 %d 字", casework.MaxTextLen))
	}
	return enc.Encode(m.Classify(line, triage.Signals{}))
}

// triageCommand groups the triage tools.
func triageCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "triage", Short: msg("研判工具", "triage tools")}
	var taxonomy string
	eval := &cobra.Command{
		Use: "eval FILE.tsv",
		Short: msg("用标注文件评估研判模型（各列：类别、类型、是否警务、风险、文本）",
			"evaluate the triage model on a labelled file (category, type, police, risk, text)"),
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return errorf("需要一个参数：标注文件 FILE.tsv", "needs one argument: the labelled FILE.tsv")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			examples, err := triage.ReadTSV(f)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			if len(examples) == 0 {
				return errorf("%s：没有样例", "%s: no examples", args[0])
			}
			m, err := loadModel(taxonomy)
			if err != nil {
				return err
			}
			triage.Evaluate(m, examples).WriteText(cmd.OutOrStdout())
			return nil
		},
	}
	eval.Flags().StringVar(&taxonomy, "taxonomy", "", msg("分类体系文件（YAML），替换内置研判规则", "YAML taxonomy file replacing the built-in triage rules"))
	cmd.AddCommand(eval)
	return cmd
}
