"""Organisation-name data: legal-form suffixes and region prefixes.

Why: Chinese company names follow 行政区划 + 字号 + 行业 + 组织形式
(北京 + 某某 + 科技 + 有限公司).  People refer to a company by 字号+行业
(某某科技), so the comparable part of a name — its *core* — is what is left
after the region and the legal form are removed.  Two unrelated companies
share "有限公司"; they must not look similar because of it.

中文：企业名称 = 行政区划 + 字号 + 行业 + 组织形式；比较时去掉行政区划与组织形式。
"""

from __future__ import annotations

# Longest first: the stripper removes one suffix per pass and repeats.
LEGAL_FORMS: tuple[str, ...] = tuple(
    sorted(
        {
            "集团股份有限公司",
            "集团有限责任公司",
            "集团有限公司",
            "股份有限公司",
            "有限责任公司",
            "股份合作公司",
            "有限公司",
            "分公司",
            "总公司",
            "公司",
            "集团",
            "个人独资企业",
            "合伙企业",
            "有限合伙",
            "普通合伙",
            "工作室",
            "门市部",
            "经营部",
            "商行",
            "厂",
        },
        key=len,
        reverse=True,
    )
)

# Latin legal forms are stripped as whole trailing words only ("Tesco" keeps
# its "co"), compared after casefold.
LATIN_LEGAL_FORMS: frozenset[str] = frozenset(
    {
        "co",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "limited",
        "ltd",
        "llc",
        "gmbh",
        "plc",
        "group",
        "holdings",
    }
)

# Provincial-level units and major cities.  A region is only stripped as a
# whole listed word at the start, never by a pattern such as "..市", which
# would also cut "某某市政工程" down to "政工程".
_PROVINCES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 "
    "河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 "
    "宁夏 新疆 香港 澳门 中国"
)
_CITIES = (
    "石家庄 太原 沈阳 大连 长春 哈尔滨 南京 苏州 无锡 常州 南通 杭州 宁波 温州 "
    "绍兴 嘉兴 合肥 福州 厦门 泉州 南昌 济南 青岛 烟台 郑州 洛阳 武汉 长沙 广州 "
    "深圳 珠海 佛山 东莞 中山 汕头 南宁 海口 三亚 成都 贵阳 昆明 西安 兰州 西宁 "
    "银川 乌鲁木齐 拉萨 呼和浩特 包头 唐山 保定 廊坊 徐州 扬州 台州 金华 芜湖 "
    "惠州 江门 桂林 绵阳 宜昌 襄阳 株洲 湘潭 潍坊 临沂 淄博 威海"
)
REGION_SUFFIXES: tuple[str, ...] = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "省",
    "市",
)
REGIONS: tuple[str, ...] = tuple(sorted(set((_PROVINCES + " " + _CITIES).split()), key=len, reverse=True))
