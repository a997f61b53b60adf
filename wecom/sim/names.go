package sim

// namePart is a Chinese name part and its pinyin (for ASCII userids).
type namePart struct{ han, pinyin string }

// surnames are common Chinese surnames (an array: no allocation per call).
func surnames() [30]namePart {
	return [30]namePart{{"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"},
		{"杨", "yang"}, {"黄", "huang"}, {"赵", "zhao"}, {"吴", "wu"}, {"周", "zhou"},
		{"徐", "xu"}, {"孙", "sun"}, {"马", "ma"}, {"朱", "zhu"}, {"胡", "hu"},
		{"郭", "guo"}, {"何", "he"}, {"林", "lin"}, {"罗", "luo"}, {"高", "gao"},
		{"郑", "zheng"}, {"梁", "liang"}, {"谢", "xie"}, {"宋", "song"}, {"唐", "tang"},
		{"许", "xu"}, {"韩", "han"}, {"冯", "feng"}, {"邓", "deng"}, {"曹", "cao"}}
}

// givenNames are common given names (one or two characters).
func givenNames() [40]namePart {
	return [40]namePart{{"伟", "wei"}, {"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"},
		{"丽", "li"}, {"强", "qiang"}, {"磊", "lei"}, {"洋", "yang"}, {"艳", "yan"},
		{"勇", "yong"}, {"军", "jun"}, {"杰", "jie"}, {"娟", "juan"}, {"涛", "tao"},
		{"明", "ming"}, {"超", "chao"}, {"秀英", "xiuying"}, {"霞", "xia"}, {"平", "ping"},
		{"刚", "gang"}, {"桂英", "guiying"}, {"晓燕", "xiaoyan"}, {"婷婷", "tingting"}, {"雪", "xue"},
		{"佳怡", "jiayi"}, {"子涵", "zihan"}, {"欣怡", "xinyi"}, {"浩然", "haoran"}, {"梓萱", "zixuan"},
		{"一诺", "yinuo"}, {"思远", "siyuan"}, {"雨桐", "yutong"}, {"俊杰", "junjie"}, {"诗涵", "shihan"},
		{"嘉怡", "jiayi"}, {"宇轩", "yuxuan"}, {"晨", "chen"}, {"颖", "ying"}, {"倩", "qian"}}
}

// feminine reports whether a given name reads as a woman's (for gender).
func feminine(given string) bool {
	switch given {
	case "芳", "娜", "敏", "静", "丽", "艳", "娟", "秀英", "霞", "桂英", "晓燕", "婷婷", "雪",
		"佳怡", "欣怡", "梓萱", "雨桐", "诗涵", "嘉怡", "颖", "倩", "子涵", "一诺":
		return true
	}
	return false
}
