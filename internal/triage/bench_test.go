package triage

import (
	"runtime"
	"strings"
	"testing"
)

// shortTexts are call texts of typical length (20–60 characters).
var shortTexts = []string{
	"喂，我们厂门口有二十多个工人堵着不让车出去，说老板欠了三个月工资",
	"楼上天天半夜拖椅子，说了好几次都没用，今天又吵起来了",
	"我老公喝了酒回来就打我，脸上都肿了，你们快来",
	"电动车被小车刮了一下，对方不愿意走保险",
	"房东不退押金，说墙面弄脏了",
	"工地上有人爬到塔吊上了，说包工头不给工钱就跳下来",
	"物业把我家的水停了，说我欠物业费",
	"朋友借了我五万块钱两年了不还，有借条",
}

// longText is a written case summary repeated to 4,000 characters, the
// contract's maximum.
func longText() string {
	base := "申请人张某于2025年9月在某五金制品有限公司从事冲压工作时，右手食指被冲床压伤，经认定为工伤，伤残等级十级。公司未为张某缴纳工伤保险，双方就一次性伤残补助金等赔偿事项申请调解。现场有二十多名工友在厂门口聚集，情绪激动。"
	var b strings.Builder
	for b.Len() < 4000*3 {
		b.WriteString(base)
	}
	return string([]rune(b.String())[:4000])
}

func BenchmarkClassifyShort(b *testing.B) {
	m := testModel(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Classify(shortTexts[i%len(shortTexts)], Signals{})
		i++
	}
}

func BenchmarkClassifyLong(b *testing.B) {
	m := testModel(b)
	text := longText()
	b.ReportAllocs()
	for b.Loop() {
		m.Classify(text, Signals{})
	}
}

func BenchmarkNormalizeShort(b *testing.B) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Normalize(shortTexts[i%len(shortTexts)])
		i++
	}
}

// BenchmarkTrain measures training on the built-in corpus and reports the
// heap the model keeps (model-MB) next to time per training.
func BenchmarkTrain(b *testing.B) {
	tax := DefaultTaxonomy()
	exs := BuiltinExamples()
	var kept uint64
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		m, err := Train(tax, exs)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept = after.HeapAlloc - before.HeapAlloc
		runtime.KeepAlive(m)
	}
	b.ReportMetric(float64(kept)/(1<<20), "model-MB")
}
