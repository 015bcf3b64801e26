package dedup

import "math/bits"

// facet is one kind of thing that happens in a report: what a caller sees,
// whatever words he uses. Two people describing one scene rarely share
// wording ("二十多个工人堵在厂门口要工资" against "门口围了好多人，车都开不出去")
// but they share facets (a crowd, a blocked gate); two incidents at one
// gate share a place and a type of day but not their facets.
type facet uint8

const (
	facetCrowd facet = iota
	facetBlock
	facetWage
	facetDebt
	facetCollision
	facetInjury
	facetQuarrel
	facetNoise
	facetPollution
	facetLeak
	facetProperty
	facetDismissal
	facetConsumer
	facetLand
	facetFamily
	facetAnimal
	facetProtest
	facetFire
	facetFraud
	facetLease
	numFacets
)

// facetSet is a bit set of facets.
type facetSet uint32

func (s facetSet) has(f facet) bool { return s&(1<<f) != 0 }
func (s facetSet) count() int       { return bits.OnesCount32(uint32(s)) }

// facetKin are facets that one scene shows to different eyes: a crowd
// blocking a gate, a crowd owed wages, a crash and the injured. Two reports
// whose facets are kin do not contradict each other.
var facetKin = func() [numFacets]facetSet {
	var k [numFacets]facetSet
	for _, group := range [][]facet{
		{facetWage, facetDebt, facetDismissal},
		{facetCrowd, facetBlock, facetProtest},
		{facetCollision, facetInjury},
		{facetLeak, facetProperty},
		{facetConsumer, facetFraud},
		{facetLand, facetLease},
		{facetPollution, facetFire},
	} {
		for _, a := range group {
			for _, b := range group {
				k[a] |= 1 << b
			}
		}
	}
	for f := range numFacets {
		k[f] |= 1 << f
	}
	return k
}()

// kin reports whether some facet of s is kin to some facet of t.
func (s facetSet) kin(t facetSet) bool {
	for f := range numFacets {
		if s.has(f) && facetKin[f]&t != 0 {
			return true
		}
	}
	return false
}

// weakFacets happen in nearly every dispute (someone is quarrelling), so
// sharing one proves nothing and lacking it contradicts nothing.
const weakFacets = facetSet(1 << facetQuarrel)

// facetLabels are what the dispatcher reads in a reason.
var facetLabels = [numFacets]string{
	facetCrowd: "人员聚集", facetBlock: "堵门堵路", facetWage: "欠薪", facetDebt: "欠款",
	facetCollision: "车辆碰撞", facetInjury: "有人受伤", facetQuarrel: "争吵", facetNoise: "噪音",
	facetPollution: "烟尘异味", facetLeak: "漏水", facetProperty: "物业停车", facetDismissal: "辞退用工",
	facetConsumer: "消费退款", facetLand: "土地房屋", facetFamily: "家庭赡养", facetAnimal: "动物",
	facetProtest: "哭闹躺地", facetFire: "着火冒烟", facetFraud: "受骗跑路", facetLease: "租房押金",
}

// facetCues are written from the zone's way of telling things, by facet.
var facetCues = map[facet][]string{
	facetCrowd: {"聚集", "围了", "围着", "围住", "围在", "围堵", "围观", "一群", "一帮", "一排人", "好多人",
		"很多人", "好几个人", "几十", "十几", "二十多", "二十几", "二十余", "三十多", "三十几", "三十余",
		"四十多", "五十多", "上百", "多名", "余名", "多人", "拉横幅", "横幅", "静坐", "群体", "人越来越多"},
	facetBlock: {"堵门", "堵在", "堵着", "堵住", "堵了", "堵路", "堵车", "出不去", "开不出", "进不去",
		"进不来", "开不走", "挡住", "挡着", "挡路", "拦着", "拦车", "占道", "占着车道", "横在", "消防通道",
		"不让进", "不让走", "不肯走", "影响交通"},
	facetWage:      {"工资", "工钱", "欠薪", "讨薪", "薪水", "薪资", "血汗钱", "加班费", "辛苦钱", "结算工资"},
	facetDebt:      {"货款", "工程款", "尾款", "欠款", "借款", "借钱", "还钱", "欠钱", "钱不还", "没还", "不还"},
	facetCollision: {"撞", "刮", "剐蹭", "追尾", "车祸", "交通事故", "侧翻", "翻了", "碰了", "被车", "碰倒"},
	facetInjury: {"受伤", "流血", "骨折", "伤了", "送医", "医院", "工伤", "压伤", "夹伤", "摔伤", "夹断",
		"擦伤", "咬伤", "摔断", "晕倒", "中暑", "救护车", "头破", "医药费", "压了", "摔下来", "咬了", "被狗咬"},
	facetQuarrel: {"吵架", "吵起来", "争吵", "争执", "在吵", "打架", "打起来", "推搡", "动手", "对骂",
		"骂人", "骂了", "冲突", "理论", "闹", "吵", "争论"},
	facetNoise: {"噪音", "太吵", "声音大", "声音太大", "扰民", "砸墙", "打桩", "装修", "施工",
		"音乐", "广场舞", "音响", "狗叫", "一直叫", "天天叫", "睡不着", "没法休息"},
	facetPollution: {"烟", "黑烟", "浓烟", "味道", "气味", "臭", "异味", "刺鼻", "油烟", "废水", "污水",
		"排污", "偷排", "粉尘", "焚烧", "烧垃圾", "烧东西", "烧纸", "喷漆", "油漆味", "渣土",
		"建筑垃圾", "倒垃圾", "秸秆", "熏"},
	facetLeak:     {"漏水", "渗水", "滴水", "水管", "泡了", "滴到", "空调水", "漏到", "漏"},
	facetProperty: {"物业", "停车费", "物业费", "道闸", "车位", "电梯", "停车场", "乱收费"},
	facetDismissal: {"辞退", "开除", "社保", "劳动合同", "补偿金", "经济补偿", "试用期", "旷工", "离职",
		"中介", "介绍费", "解除合同"},
	facetConsumer: {"退钱", "退款", "退卡", "预付卡", "充值", "过期", "假货", "质量问题",
		"短斤少两", "退货", "修车", "扣车", "扣着车", "收费太高", "霸王餐", "虫子", "保健品",
		"不肯退", "不给退", "不给换"},
	facetLand: {"宅基地", "围墙", "占地", "地界", "补偿款", "征地", "拆迁", "种菜", "排水沟", "他家的地",
		"我家的地"},
	facetFamily: {"赡养", "生活费", "离婚", "子女", "儿子", "女儿", "老公", "老婆", "婆婆", "父母", "我爸",
		"我妈", "我哥"},
	facetAnimal:  {"狗", "猫", "鸽子", "鸡", "宠物"},
	facetProtest: {"躺在地上", "坐在地上", "哭", "下跪", "跳楼", "轻生", "不肯起来", "寻死"},
	facetFire:    {"着火", "起火", "冒烟", "火灾", "放鞭炮", "充电"},
	facetFraud:   {"骗", "诈骗", "跑路", "卷钱", "跑了"},
	facetLease:   {"房东", "房租", "租金", "退租", "出租房", "租房", "押金"},
}

// Cue tags beyond facets, in the same lexicon so that one pass finds all.
const (
	tagRetry        = 100 + iota // the caller says he has called before: 催促
	tagAgain                     // the matter is back: 又, 上次
	tagBoiler                    // form words of a record: 报警人称, 来电反映
	tagIntermediary              // the reporter is a grid worker or liaison
)

// retryCues are what a caller says when he rings again about the same
// thing: with the same number inside the window they make the second call a
// duplicate whatever else it says.
var retryCues = []string{"刚才报", "刚刚报", "已经报", "之前报", "报过警", "报过了", "刚才打", "刚刚打",
	"之前打", "打过电话", "刚才反映", "刚才投诉", "还没人来", "还没有人来", "没人来", "怎么还没", "还没到",
	"还没来", "催一下", "催", "再反映", "再说一下", "又打来", "又打电话", "第二次打", "第三次打", "有进展",
	"处理到哪", "人到了没", "什么时候来", "还没人联系", "没人联系", "没人处理", "还没人处理"}

// againCues say a matter has come back: they support a repeat, never a
// merge on their own.
var againCues = []string{"又", "再次", "还是", "上次", "又一次", "仍然", "依然", "至今", "到现在还",
	"还没解决", "没履行", "反悔"}

// boilerplate are the words records are wrapped in; they say nothing about
// the incident and would make every 110 record look like every other.
var boilerplate = []string{"报警人称", "报警称", "报警人", "来电人反映", "来电人称", "来电反映", "来电称",
	"市民反映", "市民来电", "要求处理", "请求处理", "要求", "反映", "求助", "投诉", "举报"}

// intermediaryCues mark a report made on someone else's behalf, for
// records whose channel was not kept. "网格员" alone is not one: a citizen's
// call may say the grid worker has arrived.
var intermediaryCues = []string{"网格员上报", "企业联络员", "联络员上报"}

var cueLexicon = func() *lexicon {
	words := map[string]int{}
	for f, ws := range facetCues {
		for _, w := range ws {
			words[w] = int(f)
		}
	}
	for _, w := range retryCues {
		words[w] = tagRetry
	}
	for _, w := range againCues {
		words[w] = tagAgain
	}
	for _, w := range boilerplate {
		words[w] = tagBoiler
	}
	for _, w := range intermediaryCues {
		words[w] = tagIntermediary
	}
	return newLexicon(words)
}()

// cueHits is what one pass of cueLexicon finds in a text.
type cueHits struct {
	facets       facetSet
	retry, again bool
	intermediary bool
	spans        [][2]int // boilerplate and intermediary words, kept out of content
}

func findCues(t []rune) cueHits {
	var h cueHits
	cueLexicon.scan(t, func(start, end, tag int) {
		switch {
		case tag < int(numFacets):
			h.facets |= 1 << tag
		case tag == tagRetry:
			h.retry = true
		case tag == tagAgain:
			h.again = true
		case tag == tagBoiler:
			h.spans = append(h.spans, [2]int{start, end})
		case tag == tagIntermediary:
			h.intermediary = true
			h.spans = append(h.spans, [2]int{start, end})
		}
	})
	return h
}
