"""Demo 法律法规库, 权责清单 and 随机抽查事项清单 for the 示范市 agencies.

Every item cites a real article of a bundled law; penalty ranges are read from the cited text
(``lawtext.fine_ranges``), so they are the statute's own numbers.
"""

from __future__ import annotations

from zhifa.core.demo import DemoContext
from zhifa.organizations.models import Organization, OrgKind

from . import lawtext, rules, services
from .models import InspectionItem, PowerCategory, PowerItem

FSL = "《中华人民共和国食品安全法》"
ADL = "《中华人民共和国广告法》"
PQL = "《中华人民共和国产品质量法》"
PRL = "《中华人民共和国价格法》"
CRL = "《中华人民共和国消费者权益保护法》"
AIR = "《中华人民共和国大气污染防治法》"
SAFE = "《中华人民共和国安全生产法》"
ROAD = "《中华人民共和国道路交通安全法》"
CITY = "《城市市容和环境卫生管理条例》"

L, P, C, INS = PowerCategory.LICENSE, PowerCategory.PENALTY, PowerCategory.COERCION, PowerCategory.INSPECTION

# (category, name, citation, penalty kinds[, {"range_from": citation whose fines apply, "range_text": …}])
MARKET_CITY = [
    (L, "食品生产许可", f"{FSL}第三十五条", []),
    (L, "食品经营许可|餐饮服务", f"{FSL}第三十五条第一款", []),
    (INS, "食品生产经营监督检查", f"{FSL}第一百一十条", []),
    (C, "查封、扣押不符合食品安全标准的食品", f"{FSL}第一百一十条第一款第（四）项", []),
    (C, "查封违法从事食品生产经营活动的场所", f"{FSL}第一百一十条第一款第（五）项", []),
    (
        P,
        "对未取得食品生产经营许可从事食品生产经营活动的处罚",
        f"{FSL}第一百二十二条第一款",
        ["fine", "confiscate_income", "confiscate_property"],
    ),
    (
        P,
        "对明知无证生产经营仍为其提供生产经营场所或者其他条件的处罚",
        f"{FSL}第一百二十二条第二款",
        ["fine", "confiscate_income"],
    ),
    (
        P,
        "对用非食品原料生产食品等违法行为的处罚",
        f"{FSL}第一百二十三条第一款",
        ["fine", "confiscate_income", "confiscate_property", "revoke_license"],
    ),
    (
        P,
        "对生产经营致病性微生物等污染物质含量超标食品的处罚",
        f"{FSL}第一百二十四条第一款",
        ["fine", "confiscate_income", "confiscate_property", "revoke_license"],
    ),
    (
        P,
        "对生产经营被包装材料、容器、运输工具等污染的食品的处罚",
        f"{FSL}第一百二十五条第一款",
        ["fine", "confiscate_income", "confiscate_property", "suspend_business", "revoke_license"],
    ),
    (
        P,
        "对未按规定对采购的食品原料进行检验等违法行为的处罚",
        f"{FSL}第一百二十六条第一款",
        ["warning", "fine", "suspend_business", "revoke_license"],
    ),
    (
        P,
        "对集中交易市场开办者允许未取得许可的食品经营者进入市场销售食品的处罚",
        f"{FSL}第一百三十条第一款",
        ["fine", "suspend_business", "revoke_license"],
    ),
    (
        P,
        "对拒绝、阻挠、干涉食品安全监督检查的处罚",
        f"{FSL}第一百三十三条第一款",
        ["fine", "suspend_business", "revoke_license"],
    ),
    (P, "对发布虚假广告的处罚", f"{ADL}第五十五条第一款", ["fine", "revoke_license"]),
    (P, "对发布含有禁止内容广告的处罚", f"{ADL}第五十七条", ["fine", "revoke_license"]),
    (P, "对广告内容违反特定商品广告规定的处罚", f"{ADL}第五十八条第一款", ["fine", "revoke_license"]),
    (P, "对广告代言人违法代言的处罚", f"{ADL}第六十一条", ["fine", "confiscate_income"]),
    (
        P,
        "对生产、销售不符合保障人体健康和人身、财产安全标准的产品的处罚",
        f"{PQL}第四十九条",
        ["fine", "confiscate_income", "confiscate_property", "revoke_license"],
    ),
    (
        P,
        "对在产品中掺杂、掺假，以假充真，以次充好的处罚",
        f"{PQL}第五十条",
        ["fine", "confiscate_income", "confiscate_property", "revoke_license"],
    ),
    (
        P,
        "对生产、销售国家明令淘汰的产品的处罚",
        f"{PQL}第五十一条",
        ["fine", "confiscate_income", "confiscate_property", "revoke_license"],
    ),
    (
        P,
        "对拒绝接受产品质量监督检查的处罚",
        f"{PQL}第五十六条",
        ["warning", "suspend_business", "revoke_license"],
    ),
    (
        P,
        "对不执行政府指导价、政府定价的处罚",
        f"{PRL}第三十九条",
        ["fine", "confiscate_income", "suspend_business"],
    ),
    (
        P,
        "对价格欺诈等不正当价格行为的处罚",
        f"{PRL}第四十条",
        ["warning", "fine", "confiscate_income", "suspend_business", "revoke_license"],
    ),
    (P, "对经营者违反明码标价规定的处罚", f"{PRL}第四十二条", ["fine", "confiscate_income"]),
    (
        P,
        "对经营者提供的商品不符合保障人身、财产安全要求等侵害消费者权益行为的处罚",
        f"{CRL}第五十六条",
        ["warning", "fine", "confiscate_income", "suspend_business", "revoke_license"],
    ),
]
MARKET_DISTRICT = [
    (INS, "食品生产经营监督检查", f"{FSL}第一百一十条", []),
    (
        P,
        "对未取得食品生产经营许可从事食品生产经营活动的处罚",
        f"{FSL}第一百二十二条第一款",
        ["fine", "confiscate_income", "confiscate_property"],
    ),
    (
        P,
        "对生产经营致病性微生物等污染物质含量超标食品的处罚",
        f"{FSL}第一百二十四条第一款",
        ["fine", "confiscate_income", "confiscate_property", "revoke_license"],
    ),
    (
        P,
        "对餐具、饮具使用前未经洗净、消毒等违法行为的处罚",
        f"{FSL}第一百二十六条第一款",
        ["warning", "fine", "suspend_business", "revoke_license"],
    ),
    (
        P,
        "对未按要求进行食品贮存、运输和装卸的处罚",
        f"{FSL}第一百三十二条",
        ["warning", "fine", "suspend_business", "revoke_license"],
    ),
    (P, "对经营者违反明码标价规定的处罚", f"{PRL}第四十二条", ["fine", "confiscate_income"]),
    (
        P,
        "对销售失效、变质的产品的处罚",
        f"{PQL}第五十二条",
        ["fine", "confiscate_income", "confiscate_property", "revoke_license"],
    ),
    (P, "对广告主发布违反一般规定的广告的处罚", f"{ADL}第五十九条第一款", ["fine"]),
]
ENVIRONMENT = [
    (L, "排污许可", f"{AIR}第十九条", []),
    (INS, "大气污染物排放现场检查", f"{AIR}第二十九条", []),
    (C, "查封、扣押造成严重大气污染的设施、设备", f"{AIR}第三十条", []),
    (
        P,
        "对未依法取得排污许可证排放大气污染物等违法行为的处罚",
        f"{AIR}第九十九条",
        ["fine", "suspend_business", "close", "restrict_business"],
    ),
    (
        P,
        "对侵占、损毁或者擅自移动、改变大气环境质量监测设施等违法行为的处罚",
        f"{AIR}第一百条",
        ["fine", "suspend_business"],
    ),
    (
        P,
        "对产生含挥发性有机物废气的生产和服务活动未按规定采取污染防治措施的处罚",
        f"{AIR}第一百零八条",
        ["fine", "suspend_business"],
    ),
    (
        P,
        "对伪造机动车排放检验结果或者出具虚假排放检验报告的处罚",
        f"{AIR}第一百一十二条第一款",
        ["fine", "confiscate_income"],
    ),
    (
        P,
        "对贮存煤炭、煤矸石等易产生扬尘的物料未采取有效覆盖措施等违法行为的处罚",
        f"{AIR}第一百一十七条",
        ["fine", "suspend_business"],
    ),
]
TRANSPORT = [
    (L, "占用、挖掘道路或者跨越、穿越道路架设、增设管线设施审批", f"{ROAD}第三十二条第一款", []),
]
TRANSPORT_TEAM = [
    (
        P,
        "对未经批准擅自挖掘道路、占用道路施工的处罚",
        f"{ROAD}第一百零四条第一款",
        ["fine"],
        {"range_text": "责令停止违法行为，恢复原状，可以依法给予罚款；罚款数额依照公路管理法律法规的规定。"},
    ),
]
SAFETY = [
    (INS, "安全生产监督检查", f"{SAFE}第六十五条", []),
    (C, "查封、扣押不符合安全生产标准的设施、设备、器材", f"{SAFE}第六十五条第一款第（四）项", []),
    (
        P,
        "对承担安全评价、认证、检测、检验职责的机构出具失实报告、虚假报告的处罚",
        f"{SAFE}第九十二条",
        ["fine", "confiscate_income", "suspend_business", "revoke_license", "restrict_practice"],
    ),
    (
        P,
        "对生产经营单位主要负责人未履行安全生产管理职责的处罚",
        f"{SAFE}第九十四条第一款",
        ["fine", "suspend_business"],
    ),
    (
        P,
        "对生产经营单位主要负责人未履行安全生产管理职责导致发生生产安全事故的处罚",
        f"{SAFE}第九十五条",
        ["fine"],
        {"range_text": "按事故等级处上一年年收入百分之四十至百分之一百的罚款。"},
    ),
    (
        P,
        "对其他负责人和安全生产管理人员未履行安全生产管理职责的处罚",
        f"{SAFE}第九十六条",
        ["fine", "suspend_license", "revoke_license"],
    ),
    (
        P,
        "对未按照规定设置安全生产管理机构或者配备安全生产管理人员等违法行为的处罚",
        f"{SAFE}第九十七条",
        ["fine", "suspend_business"],
    ),
    (
        P,
        "对未在有较大危险因素的生产经营场所设置明显的安全警示标志等违法行为的处罚",
        f"{SAFE}第九十九条",
        ["fine", "suspend_business"],
    ),
    (P, "对未采取措施消除事故隐患的处罚", f"{SAFE}第一百零二条", ["fine", "suspend_business"]),
    (
        P,
        "对生产经营场所和员工宿舍未设有符合要求的出口、疏散通道的处罚",
        f"{SAFE}第一百零五条",
        ["fine", "suspend_business"],
    ),
    (P, "对生产经营单位与从业人员订立协议免除或者减轻其安全事故责任的处罚", f"{SAFE}第一百零六条", ["fine"]),
    (P, "对拒绝、阻碍安全生产监督检查的处罚", f"{SAFE}第一百零八条", ["fine"]),
    (P, "对高危行业生产经营单位未投保安全生产责任保险的处罚", f"{SAFE}第一百零九条", ["fine"]),
    (P, "对发生生产安全事故负有责任的生产经营单位的处罚", f"{SAFE}第一百一十四条", ["fine"]),
]
HEALTH = [
    (
        P,
        "对餐具、饮具集中消毒服务单位违反规定用水、使用洗涤剂消毒剂的处罚",
        f"{FSL}第一百二十六条第二款",
        ["warning", "fine", "suspend_business"],
        {
            "range_from": f"{FSL}第一百二十六条第一款",
            "range_text": "依照本条第一款规定给予处罚：给予警告；拒不改正的，处五千元以上五万元以下罚款；情节严重的，责令停产停业。",
        },
    ),
]
CITY_ADMIN_WEST = [
    (P, "对随地吐痰、乱扔废弃物等影响市容环境卫生行为的处罚", f"{CITY}第三十四条", ["warning", "fine"]),
    (P, "对擅自设置大型户外广告、擅自在街道两侧堆放物料的处罚", f"{CITY}第三十六条", ["fine"]),
    (P, "对损坏环境卫生设施及其附属设施的处罚", f"{CITY}第三十八条", ["fine"]),
    (
        P,
        "对餐饮服务业经营者未安装油烟净化设施、超标排放油烟的处罚",
        f"{AIR}第一百一十八条第一款",
        ["fine", "suspend_business"],
    ),
    (
        P,
        "对在禁止区域内露天烧烤食品或者为露天烧烤食品提供场地的处罚",
        f"{AIR}第一百一十八条第三款",
        ["fine", "confiscate_property", "confiscate_income"],
    ),
]
CITY_ADMIN_SOUTH = [
    (P, "对饲养家畜家禽影响市容和环境卫生的处罚", f"{CITY}第三十五条", ["fine", "confiscate_property"]),
    (P, "对随地吐痰、乱扔废弃物等影响市容环境卫生行为的处罚", f"{CITY}第三十四条", ["warning", "fine"]),
    (C, "强制拆除不符合城市容貌标准、环境卫生标准的建筑物或者设施", f"{CITY}第三十七条", []),
    (P, "对露天焚烧秸秆、落叶等产生烟尘污染物质的处罚", f"{AIR}第一百一十九条第一款", ["fine"]),
]

# agency name → (items, 承办机构 department or None, code style, 行使层级)
POWER_LISTS = [
    ("示范市市场监督管理局", MARKET_CITY, "执法稽查支队", "national", "市级"),
    ("东城区市场监督管理局", MARKET_DISTRICT, "执法大队", "plain", "区级"),
    ("示范市生态环境局", ENVIRONMENT, "生态环境保护综合执法支队", "prefixed", "市级"),
    ("示范市交通运输局", TRANSPORT, "法规科", "blank", "市级"),
    ("示范市交通运输综合执法支队", TRANSPORT_TEAM, "第一大队", "blank", "市级"),
    ("示范市应急管理局", SAFETY, "执法监察支队", "plain", "市级"),
    ("示范市卫生健康委员会", HEALTH, "卫生监督所", "national", "市级"),
    ("西城区综合行政执法局", CITY_ADMIN_WEST, "执法一中队", "plain", "区级"),
    ("南山县城市管理局", CITY_ADMIN_SOUTH, "执法大队", "prefixed", "县级"),
]

CATEGORY_NUMBER = {c: n for n, c in enumerate(PowerCategory.values, 1)}
CODE_PREFIX = {L: "XK", P: "CF", C: "QZ", INS: "JC"}

RESPONSIBILITIES = {
    P: "1.立案责任：对发现的涉嫌违法行为进行初步核实，符合立案条件的依法立案。\n"
    "2.调查责任：由两名以上持证执法人员调查取证，出示执法证件，制作笔录。\n"
    "3.审查责任：对案件事实、证据、程序、法律适用和处罚幅度进行审查；重大执法决定经法制审核。\n"
    "4.告知责任：作出处罚决定前，告知拟作出的处罚内容及事实、理由、依据和陈述、申辩、听证的权利。\n"
    "5.决定责任：依法作出处罚决定，制作行政处罚决定书。\n"
    "6.送达责任：在法定期限内送达行政处罚决定书，并依法公示。\n"
    "7.执行责任：监督当事人履行处罚决定，逾期不履行的依法强制执行或者申请人民法院强制执行。\n"
    "8.其他法律法规规章规定应履行的责任。",
    L: "1.受理责任：公示许可条件、程序、期限和申请材料；材料不齐全的一次性告知补正。\n"
    "2.审查责任：对申请材料进行审查，需要现场核查的组织核查。\n"
    "3.决定责任：在法定期限内作出准予或者不予许可的决定，不予许可的说明理由。\n"
    "4.送达责任：准予许可的颁发许可证件，并依法公开。\n"
    "5.事后监管责任：对被许可人从事许可事项的活动进行监督检查。\n"
    "6.其他法律法规规章规定应履行的责任。",
    C: "1.审批责任：实施前向行政机关负责人报告并经批准，情况紧急的依法补办批准手续。\n"
    "2.实施责任：由两名以上执法人员实施，出示执法证件，通知当事人到场，告知理由、依据和权利，制作现场笔录。\n"
    "3.决定责任：制作并当场交付查封、扣押决定书和清单，在法定期限内作出处理决定。\n"
    "4.保管责任：妥善保管查封、扣押的场所、设施或者财物，不得使用或者损毁。\n"
    "5.其他法律法规规章规定应履行的责任。",
    INS: "1.检查责任：按照随机抽查事项清单和年度计划实施检查，两名以上执法人员出示执法证件。\n"
    "2.处置责任：对检查中发现的违法行为依法处理，需要立案的依法立案。\n"
    "3.公示责任：检查结果在规定期限内依法公示。\n"
    "4.其他法律法规规章规定应履行的责任。",
}
ACCOUNTABILITY = {
    P: "有下列情形之一的，依法追究有关人员责任：没有法定依据或者擅自改变处罚种类、幅度的；违反法定程序实施处罚的；"
    "违反规定自行收缴罚款或者截留、私分罚没款物的；滥用职权、玩忽职守、徇私舞弊的（《中华人民共和国行政处罚法》第七十六条至第八十三条）。",
    L: "有下列情形之一的，依法追究有关人员责任：对符合法定条件的申请不予受理、不予许可或者不在法定期限内作出决定的；"
    "对不符合法定条件的申请人准予许可的；索取或者收受他人财物的（《中华人民共和国行政许可法》第七十二条至第七十四条）。",
    C: "有下列情形之一的，依法追究有关人员责任：没有法律、法规依据实施行政强制的；扩大查封、扣押范围的；"
    "使用或者损毁查封、扣押财物的；在夜间或者法定节假日违法实施强制执行的（《中华人民共和国行政强制法》第六十一条至第六十八条）。",
    INS: "有下列情形之一的，依法追究有关人员责任：不按清单和计划实施检查或者随意检查的；检查中滥用职权、玩忽职守、徇私舞弊的；"
    "对发现的违法行为不依法处理的。",
}

# (agency, 抽查领域, 抽查事项, 检查对象, 抽查比例, 配合部门, 检查方式, 检查内容, 依据, 实施层级)
INSPECTIONS = [
    (
        "示范市市场监督管理局",
        "食品生产环节监督抽查",
        "1.食品生产者落实食品安全主体责任情况的检查",
        "食品生产企业",
        "5%",
        "",
        "现场检查、抽样检测",
        "生产环境条件、进货查验、生产过程控制、出厂检验记录",
        f"{FSL}第一百一十条",
        "市级发起，市级检查",
    ),
    (
        "示范市市场监督管理局",
        "学校食堂食品安全情况抽查",
        "2.学校食堂食品安全情况的检查",
        "高校",
        "30%",
        "教育部门",
        "现场检查",
        "许可证件、从业人员健康证明、餐具消毒、原料进货查验",
        f"{FSL}第一百一十条",
        "市级发起，市级检查",
    ),
    (
        "示范市市场监督管理局",
        "学校食堂食品安全情况抽查",
        "2.学校食堂食品安全情况的检查",
        "中小学、幼儿园",
        "50%",
        "教育部门",
        "现场检查",
        "许可证件、从业人员健康证明、餐具消毒、原料进货查验",
        f"{FSL}第一百一十条",
        "市级发起，下派区级检查",
    ),
    (
        "示范市市场监督管理局",
        "产品质量监督抽查",
        "3.生产领域产品质量的检查",
        "工业产品生产企业",
        "3%",
        "",
        "抽样检测",
        "按监督抽查实施细则抽取样品检验",
        f"{PQL}第十五条",
        "市级发起，市级检查",
    ),
    (
        "示范市市场监督管理局",
        "广告发布情况抽查",
        "4.广告发布者发布广告情况的检查",
        "广播电台、电视台、报刊出版单位、互联网广告发布者",
        "5%",
        "",
        "网络监测、书面检查",
        "广告内容真实性、广告审查批准文件、广告业务管理制度",
        f"{ADL}第四十九条",
        "市级发起，市级检查",
    ),
    (
        "示范市市场监督管理局",
        "宾馆、旅店监督抽查",
        "5.宾馆、旅店明码标价的检查",
        "各类宾馆、旅店",
        "5%",
        "公安部门、卫生健康部门",
        "现场检查",
        "房价、服务项目和收费标准的明码标价情况",
        f"{PRL}第十三条、第三十四条",
        "区级发起，区级检查",
    ),
    (
        "东城区市场监督管理局",
        "餐饮服务食品安全抽查",
        "1.餐饮服务提供者食品安全情况的检查",
        "餐饮服务单位",
        "5%",
        "",
        "现场检查",
        "许可证件公示、从业人员健康证明、加工制作过程、餐具消毒",
        f"{FSL}第一百一十条",
        "区级发起，区级检查",
    ),
    (
        "示范市生态环境局",
        "排污单位监督抽查",
        "1.重点排污单位大气污染物排放情况的检查",
        "重点排污单位",
        "每年不少于1次",
        "",
        "现场检查、自动监测",
        "排污许可证执行情况、污染防治设施运行、自动监测数据",
        f"{AIR}第二十九条",
        "市级发起，市级检查",
    ),
    (
        "示范市生态环境局",
        "排污单位监督抽查",
        "2.一般排污单位大气污染物排放情况的检查",
        "一般排污单位",
        "5%",
        "",
        "现场检查",
        "排污许可证执行情况、污染防治设施运行",
        f"{AIR}第二十九条",
        "市级发起，下派区级检查",
    ),
    (
        "示范市交通运输综合执法支队",
        "道路施工作业监督抽查",
        "1.占用、挖掘道路施工作业情况的检查",
        "道路施工作业单位",
        "10%",
        "公安机关交通管理部门",
        "现场检查",
        "审批手续、施工路段和时间、安全警示标志和防护措施",
        f"{ROAD}第三十二条",
        "市级发起，市级检查",
    ),
    (
        "示范市应急管理局",
        "工贸企业安全生产抽查",
        "1.生产经营单位安全生产条件的检查",
        "工贸企业",
        "5%",
        "",
        "现场检查、书面检查",
        "安全生产责任制、教育培训、事故隐患排查治理、应急预案",
        f"{SAFE}第六十五条",
        "市级发起，市级检查",
    ),
    (
        "示范市应急管理局",
        "危险化学品安全抽查",
        "2.危险化学品经营、储存单位安全管理情况的检查",
        "危险化学品经营、储存单位",
        "10%",
        "生态环境部门",
        "现场检查",
        "重大危险源登记建档、专门安全管理制度、安全设施设备",
        f"{SAFE}第六十五条",
        "市级发起，市级检查",
    ),
    (
        "示范市卫生健康委员会",
        "公共场所卫生抽查",
        "1.宾馆、旅店卫生情况的检查",
        "各类宾馆、旅店",
        "5%",
        "市场监管部门",
        "现场检查、抽样检测",
        "卫生许可证、从业人员健康合格证明、公共用品用具清洗消毒",
        "《公共场所卫生管理条例》第十一条",
        "区级发起，区级检查",
    ),
    (
        "西城区综合行政执法局",
        "市容环境卫生抽查",
        "1.临街建筑物堆放、吊挂有碍市容物品情况的检查",
        "沿街商户和临街单位",
        "5%",
        "",
        "现场检查",
        "临街阳台和窗外堆放、吊挂物品情况",
        f"{CITY}第十条",
        "区级发起，区级检查",
    ),
    (
        "南山县城市管理局",
        "户外广告设施抽查",
        "1.户外广告设施设置情况的检查",
        "户外广告设置单位",
        "10%",
        "市场监管部门",
        "现场检查",
        "户外广告设置审批、内容健康、外型美观、定期维修",
        f"{CITY}第十一条",
        "县级发起，县级检查",
    ),
    (
        "南山县城市管理局",
        "餐饮油烟污染抽查",
        "2.餐饮服务业油烟净化设施安装使用情况的检查",
        "排放油烟的餐饮服务业经营者",
        "5%",
        "生态环境部门",
        "现场检查",
        "油烟净化设施安装、正常使用和达标排放情况",
        f"{AIR}第八十一条",
        "县级发起，县级检查",
    ),
]


def load(ctx: DemoContext) -> None:
    services.load_bundled_laws()
    agencies = {agency.name: agency for agency in ctx.agencies}
    for agency_name, entries, department, code_style, level in POWER_LISTS:
        agency = agencies[agency_name]
        unit = Organization.objects.filter(
            path__startswith=agency.path, kind=OrgKind.DEPARTMENT, name=department
        ).first()
        for serial, entry in enumerate(entries, 1):
            services.store_item(power_item(agency, entry, serial, code_style, level, unit, department))
    for entry in INSPECTIONS:
        services.store_item(inspection_item(agencies[entry[0]], entry))
    load_benchmarks(ctx)


def power_item(agency, entry, serial, code_style, level, unit, department) -> PowerItem:
    category, name, citation, kinds, *extra = entry
    extra = extra[0] if extra else {}
    name, _, sub_name = name.partition("|")
    text = cited_text(citation)
    item = PowerItem(
        agency=agency,
        code=item_code(code_style, category, agency, serial),
        name=name,
        sub_name=sub_name,
        category=category,
        undertaking_unit=unit,
        undertaking_unit_text="" if unit else department,
        level=level,
        basis_text=f"{citation} {text}",
        responsibilities=RESPONSIBILITIES[category],
        accountability=ACCOUNTABILITY[category],
        penalty_kinds=list(kinds),
    )
    if category == P:
        apply_ranges(item, lawtext.fine_ranges(cited_text(extra.get("range_from", citation))))
        item.range_text = extra.get("range_text", item.range_text)
    return item


def apply_ranges(item: PowerItem, ranges: lawtext.FineRanges) -> None:
    item.fine_min, item.fine_max = ranges.amount_min, ranges.amount_max
    if ranges.multiples:
        base, (low, high) = next(iter(ranges.multiples.items()))
        item.multiple_base = rules.MULTIPLE_BASE_BY_LABEL.get(base, "other")
        item.multiple_min, item.multiple_max = low, high
    if not ranges and "fine" in item.penalty_kinds:
        item.range_text = "罚款数额按照省、自治区、直辖市或者本市的具体规定执行。"


def cited_text(citation: str) -> str:
    """The text of the cited article, 款 or 项 (a 项 with the 款 sentence that introduces it)."""
    (ref,) = lawtext.parse_citations(citation)
    article = services.find_article(ref.law, ref.article)
    if article is None:
        raise LookupError(f"演示数据引用的条文不存在：{citation}")
    paragraphs = list(article.paragraphs.all())
    if ref.kuan:
        paragraphs = [p for p in paragraphs if p.kuan == ref.kuan]
    if ref.xiang:
        paragraphs = [p for p in paragraphs if p.xiang in (None, ref.xiang)]
    return "".join(p.text for p in paragraphs)


def item_code(style: str, category: str, agency, serial: int) -> str:
    region = agency.region.code
    if style == "national":  # 31 digits, as on 北京市政务服务网
        return f"11{region}{CATEGORY_NUMBER[category]:03d}{serial:08d}{region}000000"
    if style == "prefixed":  # XK + 事项码 + 统一社会信用代码 + 区划码, as in 贵州 lists
        return (
            f"{CODE_PREFIX[category]}{CATEGORY_NUMBER[category]:02d}{serial:05d}{agency.credit_code}{region}"
        )
    if style == "plain":
        return str(serial)
    return ""


def inspection_item(agency, entry) -> InspectionItem:
    _, field_name, name, target, ratio, partners, method, content, basis, level = entry
    return InspectionItem(
        agency=agency,
        field_name=field_name,
        name=name,
        target=target,
        ratio=ratio,
        cooperating_departments=partners,
        method=method,
        content=content,
        basis_text=basis,
        level=level,
    )


# --- 裁量基准 (S8) ---------------------------------------------------------------------------------
WARN_FINE = ("warning", "fine")
PRICE = ("fine", "confiscate_income")
# (agency, item name, title, 文号, 序号, rows); a row is a dict of DiscretionTier fields.
BENCHMARKS = [
    (
        "示范市市场监督管理局",
        "对不执行政府指导价、政府定价的处罚",
        "示范市市场监督管理局行政处罚裁量权基准",
        "示市监规〔2025〕3号",
        "12",
        [
            {"level_label": "不予处罚", "condition_text": "符合裁量规则不予处罚情形规定的。"},
            {
                "level_label": "从轻处罚",
                "condition_text": "主动退还多收价款，或者配合查处有立功表现等依法应当从轻处罚的。",
                "penalty_kinds": list(PRICE),
                "multiple_base": "illegal_income",
                "multiple_max": "1",
            },
            {
                "level_label": "一般处罚",
                "condition_text": "不具有从轻、从重情形的。",
                "penalty_kinds": list(PRICE),
                "multiple_base": "illegal_income",
                "multiple_min": "1",
                "multiple_max": "3",
            },
            {
                "level_label": "从重处罚",
                "condition_text": "一年内因同类违法行为受过行政处罚，或者在重大传染病疫情等突发事件期间哄抬价格的。",
                "tags": ["一年内再次实施同类违法行为", "emergency"],
                "penalty_kinds": list(PRICE),
                "multiple_base": "illegal_income",
                "multiple_min": "3",
                "multiple_max": "5",
            },
        ],
    ),
    (
        "西城区综合行政执法局",
        "对在禁止区域内露天烧烤食品或者为露天烧烤食品提供场地的处罚",
        "西城区综合行政执法局行政处罚自由裁量标准",
        "西综执规〔2025〕1号",
        "7",
        [
            {"level_label": "不予处罚", "condition_text": "初次违法且危害后果轻微并及时改正的。"},
            {
                "level_label": "一般",
                "party": "个人",
                "condition_text": "个人在禁止区域内露天烧烤食品的。",
                "penalty_kinds": ["fine", "confiscate_property"],
                "fine_min": "500",
                "fine_max": "2000",
                "other_measures": "责令改正",
            },
            {
                "level_label": "严重",
                "party": "个人",
                "condition_text": "经责令改正拒不改正，或者一年内被查处2次以上的。",
                "tags": ["拒不改正", "一年内再次实施同类违法行为"],
                "penalty_kinds": ["fine", "confiscate_property"],
                "fine_min": "2000",
                "fine_max": "5000",
                "other_measures": "责令改正",
            },
            {
                "level_label": "一般",
                "party": "单位",
                "condition_text": "单位在禁止区域内露天烧烤食品或者为露天烧烤食品提供场地的。",
                "penalty_kinds": ["fine", "confiscate_property"],
                "fine_min": "5000",
                "fine_max": "10000",
                "other_measures": "责令改正",
            },
            {
                "level_label": "严重",
                "party": "单位",
                "condition_text": "经责令改正拒不改正，或者一年内被查处2次以上的。",
                "tags": ["拒不改正", "一年内再次实施同类违法行为"],
                "penalty_kinds": ["fine", "confiscate_property", "confiscate_income"],
                "fine_min": "10000",
                "fine_max": "20000",
                "other_measures": "责令改正",
            },
        ],
    ),
    (
        "示范市生态环境局",
        "对贮存煤炭、煤矸石等易产生扬尘的物料未采取有效覆盖措施等违法行为的处罚",
        "示范市生态环境行政处罚裁量基准",
        "示环规〔2025〕2号",
        "41",
        [
            {
                "level_label": "减轻处罚",
                "condition_text": "主动消除或者减轻违法行为危害后果等依法应当减轻处罚的。",
                "penalty_kinds": ["fine"],
                "fine_min": "5000",
                "fine_max": "10000",
                "other_measures": "责令改正",
            },
            {
                "level_label": "轻微",
                "condition_text": "未覆盖物料堆场面积在1000平方米以下的。",
                "band_measure": "堆场面积",
                "band_unit": "平方米",
                "band_max": "1000",
                "penalty_kinds": ["fine"],
                "fine_min": "10000",
                "fine_max": "30000",
                "other_measures": "责令改正",
            },
            {
                "level_label": "一般",
                "condition_text": "未覆盖物料堆场面积在1000平方米以上5000平方米以下的。",
                "band_measure": "堆场面积",
                "band_unit": "平方米",
                "band_min": "1000",
                "band_max": "5000",
                "penalty_kinds": ["fine"],
                "fine_min": "30000",
                "fine_max": "60000",
                "other_measures": "责令改正",
            },
            {
                "level_label": "严重",
                "condition_text": "未覆盖物料堆场面积在5000平方米以上的；或者造成严重扬尘污染、拒不改正的。",
                "band_measure": "堆场面积",
                "band_unit": "平方米",
                "band_min": "5000",
                "tags": ["造成严重危害后果", "拒不改正"],
                "penalty_kinds": ["fine", "suspend_business"],
                "fine_min": "60000",
                "fine_max": "100000",
                "other_measures": "责令改正；拒不改正的，责令停工整治",
            },
        ],
    ),
]


def load_benchmarks(ctx: DemoContext) -> None:
    """Published 裁量基准 for a few demo items, in the shapes of the real tables (S8)."""
    from datetime import timedelta
    from decimal import Decimal

    from .models import DiscretionBenchmark, DiscretionTier

    agencies = {agency.name: agency for agency in ctx.agencies}
    for agency_name, item_name, title, number, serial, rows in BENCHMARKS:
        item = PowerItem.objects.get(agency=agencies[agency_name], name=item_name)
        benchmark = DiscretionBenchmark(
            agency=item.agency,
            power_item=item,
            title=title,
            document_number=number,
            item_number=serial,
            effective_from=ctx.today - timedelta(days=60),
        )
        tiers = []
        for row in rows:
            values = {k: Decimal(v) if k.endswith(("_min", "_max")) else v for k, v in row.items()}
            values.setdefault("tier", rules.tier_for_label(row["level_label"]))
            tiers.append(DiscretionTier(**values))
        services.store_benchmark(benchmark, tiers)
        services.mark_published(benchmark)
