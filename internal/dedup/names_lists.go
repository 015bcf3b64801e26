package dedup

// nameKind says what a name found in a report stands for.
type nameKind uint8

const (
	kindFirm    nameKind = iota + 1 // 企业: 公司, 厂
	kindShop                        // 店铺、市场
	kindSite                        // 工地、项目部
	kindInst                        // 学校、医院、村委会
	kindEstate                      // 小区
	kindVillage                     // 村
	kindRoad                        // 路
	kindAddr                        // 门牌: 科技路88号, 幸福小区7幢
	kindPerson                      // 王某, 老王, 王师傅
	kindParty                       // a full name given apart from the text
	kindRegion                      // 街道, 镇: recognised only so they do not join a name
)

// isOrg reports whether a kind names a party that can owe, injure or
// pollute: what "涉及同一企业" speaks of.
func (k nameKind) isOrg() bool {
	return k == kindFirm || k == kindShop || k == kindSite || k == kindInst
}

// isPlace reports whether a kind names an area people live in.
func (k nameKind) isPlace() bool { return k == kindEstate || k == kindVillage }

// suffixGroups are the words a name ends with, by kind and class. The class
// tells two shops apart (饭店 is not 理发店) and makes every spelling of a
// firm (有限公司, 公司, 厂) one: 某五金制品有限公司 and 某五金厂 are one firm.
var suffixGroups = []struct {
	words []string
	kind  nameKind
	class string
}{
	{[]string{"股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司", "总厂", "分厂", "厂", "企业"}, kindFirm, "企业"},
	{[]string{"饭店", "酒店", "餐馆", "餐厅", "饭馆", "烧烤店", "小吃店"}, kindShop, "饭店"},
	{[]string{"超市", "便利店", "小卖部"}, kindShop, "超市"},
	{[]string{"理发店", "美发店", "美容院"}, kindShop, "理发店"},
	{[]string{"健身房"}, kindShop, "健身房"},
	{[]string{"网吧"}, kindShop, "网吧"},
	{[]string{"宾馆", "旅馆"}, kindShop, "宾馆"},
	{[]string{"药店", "药房", "诊所"}, kindShop, "药店"},
	{[]string{"加油站"}, kindShop, "加油站"},
	{[]string{"废品站", "回收站"}, kindShop, "废品站"},
	{[]string{"市场", "菜场", "菜市场"}, kindShop, "市场"},
	{[]string{"店", "商行", "经营部", "门市部"}, kindShop, "店"},
	{[]string{"工地", "项目部"}, kindSite, "工地"},
	{[]string{"学校", "小学", "中学", "幼儿园"}, kindInst, "学校"},
	{[]string{"医院", "卫生院"}, kindInst, "医院"},
	{[]string{"村委会", "居委会"}, kindInst, "村委会"},
	{[]string{"小区", "花园", "家园", "苑", "公寓", "新村", "山庄", "大厦", "花苑"}, kindEstate, ""},
	{[]string{"村"}, kindVillage, ""},
	{[]string{"路", "大道", "大街", "街", "巷"}, kindRoad, ""},
	{[]string{"街道", "镇", "乡", "开发区", "经济开发区", "工业区"}, kindRegion, ""},
}

// maxCore bounds how far back a name may reach before its suffix, by kind.
var maxCore = map[nameKind]int{
	kindFirm: 10, kindShop: 8, kindSite: 8, kindInst: 6, kindEstate: 5, kindVillage: 3, kindRoad: 4, kindRegion: 4,
}

// nameBoundaries end a name when scanning back from its suffix. Strong
// boundaries never belong to a name ("在", "那家"); weak ones may ("和平小区",
// "向阳小区") and cut only when a name of two characters or more is left.
var nameBoundaries = func() map[string]int {
	const strong, weak = 1, 2
	m := map[string]int{}
	for _, w := range []string{"在", "到", "从", "往", "去", "是", "的", "了", "把", "被", "给", "让", "说",
		"称", "叫", "问", "找", "我", "你", "他", "她", "它", "又", "那家", "这家", "一家", "那个", "这个",
		"哪个", "整个", "一个", "几个", "那条", "这条", "那边", "这边", "那里", "这里", "我们", "你们", "他们",
		"反映", "投诉", "举报", "报警", "报警人", "来电人", "来电", "上报", "求助", "位于", "就是", "上班",
		"工作", "打工", "干活", "做工", "楼下", "楼上", "门口", "旁边", "附近", "对面", "里面", "外面", "后面",
		"前面", "隔壁", "下面", "上面", "市民", "村民", "业主", "工人", "员工", "老板", "顾客", "住户", "居民",
		"同事", "家属", "网格员", "联络员", "当事人", "有人", "有个", "有家", "有户", "车主", "司机", "整栋",
		"进", "出", "回", "送", "不肯", "两家", "几家", "各家", "一群", "一帮", "好多", "很多", "好几"} {
		m[w] = strong
	}
	for _, w := range []string{"和", "与", "及", "同", "跟", "对", "个", "有", "向", "多", "几", "来", "名"} {
		m[w] = weak
	}
	return m
}()

// genericCores are what is left of a name that names no one: an industry
// or a kind of shop (五金厂, 烧烤店, 修理厂), a pronoun (我们公司, 该厂).
// "某五金" is kept: it is how the zone writes one particular firm.
var genericCores = setOf("五金", "机械", "电器", "门业", "杯业", "工贸", "塑料", "模具", "包装", "印刷",
	"家具", "汽配", "阀门", "锁业", "铝业", "厨具", "不锈钢", "电动工具", "健身器材", "车业", "服装", "纺织",
	"电机", "工具", "贸易", "科技", "实业", "制品", "电子", "化工", "建材", "食品", "物流", "运输", "装饰",
	"建筑", "劳务", "加工", "汽车修理", "修理", "修车", "烧烤", "水果", "早餐", "小吃", "理发", "美发",
	"餐饮", "快餐", "便利", "废品", "工", "本", "该", "这", "那", "对方", "双方", "我们", "你们", "他们",
	"公司", "一", "项目", "施工", "物业", "保安", "中介", "外地", "本地", "新", "老", "大", "小", "农民")

// regionPrefixes are dropped from the front of a firm's name: the zone's
// firms are written with and without them (浙江某五金, 永康市某五金).
var regionPrefixes = []string{"浙江省", "浙江", "金华市", "金华", "永康市", "永康"}

// firmTails are dropped from the end of a firm's core: 某五金制品 and 某五金
// are one firm.
var firmTails = []string{"制品", "制造", "有限", "股份"}

// roadStops are characters that make 路 a common word rather than a road
// name when they come just before it: 修路, 挡路, 马路, 一路.
var roadStops = runeSet("修挡堵拦占让带走过马公道上一出进开封绕问找条的铁逛水去跑")

// villageStops do the same for 村: 农村, 全村, 本村, 城中村.
var villageStops = runeSet("农乡全整本该外邻进出回同个中各每哪这那一")

// surnames are the common family names that person patterns accept. Names
// that are also common words in reports (方: 对方; 于, 向: prepositions;
// 万: a numeral; 龙, 程: 小龙虾, 小程序) are left out on purpose.
var surnames = runeSet("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖董袁潘蒋" +
	"蔡余杜叶苏魏吕丁任沈姚卢姜崔钟谭陆汪范金廖贾夏韦付邹孟熊秦邱尹薛闫段雷侯陶贺顾毛郝龚邵钱严覃武戴莫孔汤应楼胡俞施")

// personTitles follow a surname; the value keeps one form per title family.
var personTitles = map[string]string{
	"师傅": "师傅", "老板": "老板", "老板娘": "老板娘", "总": "老板", "经理": "老板", "主任": "主任",
	"阿姨": "阿姨", "大姐": "阿姨", "大哥": "大哥", "老师": "老师", "先生": "先生", "女士": "女士",
}

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// runeBits is a set of runes of the Basic Multilingual Plane, tested
// without a map lookup: name scanning asks it at every character.
type runeBits [1 << 16 / 64]uint64

func (b *runeBits) has(r rune) bool { return r < 1<<16 && b[r/64]&(1<<(r%64)) != 0 }

// add puts r in the set; a rune beyond the Basic Multilingual Plane is
// left out.
func (b *runeBits) add(r rune) {
	if r < 1<<16 {
		b[r/64] |= 1 << (r % 64)
	}
}

func runeSet(s string) *runeBits {
	var b runeBits
	for _, r := range s {
		b.add(r)
	}
	return &b
}
