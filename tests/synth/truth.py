"""Random but plausible truth records of review reports, deterministic from a seed.

A truth record holds what a report states, in the columns of the project's Parquet tables
(``reports``, ``team``, ``sections``, ``clauses``), plus the arithmetic errors deliberately
injected into it (``injected``). :func:`make_truth` first makes every stated value
consistent (item = weight × % rounded half-up to one decimal; part = sum of its items;
total = sum of the parts; level = the scheme's level of the total), then injects the
requested errors, each so that exactly one check of :mod:`certreport.normalise.checks` fires:

``item_score``     one clause's stated score ≠ weight × % (its part and the total keep the
                   values recomputed from weight × %) — target: the clause code;
``section_score``  one part's stated score ≠ the sum of its clauses — target: A/B/C;
``total``          the stated total ≠ the sum of the clauses; the stated level follows the
                   stated (wrong) total so that only ``total`` fires — target: ``total``;
``level``          the level stated in the scope line (and wherever else the report states
                   it) ≠ the scheme's level of the stated total — target: ``total``;
``special_items``  the stated points of the special deductions ≠ their count × 1 point
                   (the total keeps count × 1) — target: ``special_deduction``;
``raw_total``      the stated 实际得分合计 ≠ the sum of the parts (the formula of the
                   normalised score keeps the right dividend) — target: ``raw_total``;
``applicable_max`` the stated 涉及项总分值 ≠ the weights of the clauses not deleted —
                   target: ``applicable_max``;
``normalised_score`` the stated 评分 ≠ the division its formula writes (the final total
                   keeps the right value) — target: ``normalised``.

The scoring follows the scheme's catalogue: special items (``truth["scoring"]``: 特别扣分项
and 特别加分项 with counts, reasons, and which figures the report states) change the total
(parts − deductions + additions) and grant no level at 5 or more points of deductions;
under GB/T 27922-2011 not-applicable (删减) clauses do not count and the final score is
实际得分 / 涉及项总分值 × 100 (one decimal), then the special items. The last four kinds
are injected only where the report states the figure (see :func:`available_checks`).

Errors never interact: no ``item_score`` and ``section_score`` in the same part, no
``level`` together with ``total``. Clean records (``errors=0``) are clean.

Half-up rounding of items like 1.5 × 70% = 1.05 -> 1.1 makes the stated part sum drift
from the exact sum, as in real reports (the checks accept a part that adds up the items as
they are written); :data:`MAX_ROUNDED_ITEMS` caps how many such items a record has.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Sequence

from synth.templates import TEMPLATES
from certreport.schemas.catalogue import Scheme, load_schemes

CHECKS = ("item_score", "section_score", "total", "level", "special_items", "raw_total",
          "applicable_max", "normalised_score")
# how many special deductions / additions a report has: (count, weight) to draw from
DEDUCTION_COUNTS = ((0, 55), (1, 14), (2, 10), (3, 6), (4, 5), (5, 6), (6, 4))
ADDITION_COUNTS = ((0, 75), (1, 25))
DEDUCTION_REASONS = ("售后服务记录不完整", "未按承诺时限上门维修", "投诉处理超过规定时限", "服务网点公示信息过期",
                     "未对服务人员进行年度培训", "顾客回访记录缺失", "配送安装验收单未签字")
ADDITION_REASONS = ("建立了行业领先的服务信息平台", "服务承诺高于法律法规要求", "获得省级服务质量奖")
# special items forced by a plan: none, some deductions, both kinds, deductions at the limit
SPECIAL_CHOICES = ("none", "deduction", "both", "limit")
AUDIT_TYPES = ("初次认证", "保持认证", "再认证")
AUDIT_METHODS = ("现场审核", "远程审核", "现场结合远程审核")
PCT_VALUES = (0, 50, 70, 80, 90, 100)
MAX_ROUNDED_ITEMS = 6

# conclusion option checked for an audit type (recommended / not recommended)
CONCLUSION = {
    "初次认证": ("推荐认证注册资格", "不推荐认证注册资格"),
    "保持认证": ("推荐保持认证注册资格", "不推荐保持认证注册资格"),
    "再认证": ("推荐再认证注册资格", "不推荐再认证注册资格"),
}

CERT_BODIES = (
    "北京国标联合认证有限公司",
    "华信联合认证有限公司",
    "中恒标准认证中心",
    "东方华标认证有限公司",
    "京华服务认证中心",
    "国评服务认证有限公司",
    "中誉质量认证有限公司",
)

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵")
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
         "超", "秀英", "霞", "平", "刚", "桂英", "慧霞", "建华", "建国", "志强", "海燕", "淑萍", "晓东",
         "文", "华", "红", "玲", "斌", "宇", "浩", "凯", "鹏", "辉", "俊", "峰", "晨", "琳", "颖", "倩",
         "雪梅", "婷", "萍", "云", "飞", "亮", "鑫", "波", "宁", "欣", "悦", "佳", "丹", "立新", "春燕")

# (short name used in organisation names, province part of addresses, city, districts)
REGIONS = (
    ("新疆", "新疆", "乌鲁木齐市", ("米东区", "天山区", "沙依巴克区", "新市区")),
    ("北京", "北京市", "", ("朝阳区", "海淀区", "丰台区", "大兴区", "通州区")),
    ("上海", "上海市", "", ("浦东新区", "闵行区", "嘉定区", "松江区")),
    ("天津", "天津市", "", ("滨海新区", "西青区", "北辰区")),
    ("广州", "广东省", "广州市", ("天河区", "番禺区", "白云区", "黄埔区")),
    ("深圳", "广东省", "深圳市", ("南山区", "宝安区", "龙岗区")),
    ("杭州", "浙江省", "杭州市", ("余杭区", "滨江区", "萧山区")),
    ("苏州", "江苏省", "苏州市", ("吴中区", "相城区", "吴江区")),
    ("山东", "山东省", "济南市", ("历下区", "槐荫区", "章丘区")),
    ("河北", "河北省", "石家庄市", ("长安区", "裕华区", "桥西区")),
    ("四川", "四川省", "成都市", ("武侯区", "成华区", "双流区")),
    ("武汉", "湖北省", "武汉市", ("洪山区", "江夏区", "东西湖区")),
    ("河南", "河南省", "郑州市", ("金水区", "二七区", "中原区")),
    ("陕西", "陕西省", "西安市", ("雁塔区", "未央区", "长安区")),
    ("安徽", "安徽省", "合肥市", ("蜀山区", "包河区", "庐阳区")),
)
ROADS = ("康庄西路", "北苑路", "建设路", "人民路", "解放大道", "科技园路", "工业大道", "新华路", "长江路",
         "黄河路", "中山路", "创业路", "振兴路", "经开大道", "高新大道", "学府路", "滨河路", "光明路")
ADDRESS_TAILS = ("", "", "", "1号楼", "2号楼3层", "A座1603室", "厂区", "综合楼4层")
ORG_CORES = ("鹏森", "恒远", "华宇", "金诚", "博雅", "新锐", "泰和", "瑞丰", "德信", "宏达", "润泽", "天成",
             "卓越", "安捷", "永盛", "中邦", "星河", "汇通", "锦程", "正阳", "长荣", "立信", "华泰", "启明")
ORG_TRADES = ("科技", "家具", "电子", "电器", "机械", "智能设备", "信息技术", "实业", "环保科技", "教学设备",
              "医疗器械", "照明", "通信技术", "建材", "贸易")
ORG_SUFFIXES = ("有限公司", "股份有限公司", "有限责任公司", "集团有限公司")
PRODUCTS = ("木制家具", "金属家具", "钢木家具", "塑料家具", "办公家具", "幼儿家具", "校用家具", "医用家具",
            "实验室家具", "体育用品及器材", "教学用模型及专用仪器", "教学实训设备", "医疗器械", "音响设备",
            "仪器仪表", "照明器材", "灯具", "文具", "办公用品", "通讯设备", "计算机设备", "家用电器",
            "空调器", "电线电缆", "安防设备", "水泵", "阀门", "净水设备", "门窗", "卫浴洁具", "电动工具",
            "厨房设备", "汽车配件", "智能终端")
SERVICES = ("销售的技术支持", "配送安装", "维修服务", "退换货", "投诉处理")
SPECIALTY_CODES = ("02.01", "02.02", "03.01", "03.02", "05.02", "06.01", "08.03", "17.10", "19.01")
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "155", "156", "158", "159", "166", "177", "180", "181", "182", "185", "186", "187",
                   "188", "189", "199")

TENTH = Decimal("0.1")


def scheme_by_id(scheme_id: str) -> Scheme:
    """The catalogue with id ``scheme_id`` (ValueError naming the known ids otherwise)."""
    schemes = load_schemes()
    for s in schemes:
        if s.id == scheme_id:
            return s
    raise ValueError(f"unknown scheme {scheme_id!r}; known: {', '.join(s.id for s in schemes)}")


def dec(value: float | int | str) -> Decimal:
    """A number as an exact decimal (through its shortest repr)."""
    return Decimal(str(value))


def item_score(weight: float, pct: float) -> Decimal:
    """weight × pct / 100, rounded half-up to one decimal."""
    return (dec(weight) * dec(pct) / 100).quantize(TENTH, rounding=ROUND_HALF_UP)


def exact_item(weight: float, pct: float) -> Decimal:
    """weight × pct / 100 exactly (what the checks recompute)."""
    return dec(weight) * dec(pct) / 100


def _f(value: Decimal) -> float:
    return float(value.quantize(TENTH, rounding=ROUND_HALF_UP))


def _rounds(weight: float, pct: float) -> bool:
    return exact_item(weight, pct) != item_score(weight, pct)


# --- people, places, names ----------------------------------------------------------------


def _person(rng: random.Random, taken: set[str]) -> str:
    for _ in range(100):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("ran out of names")  # pragma: no cover


def _mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randrange(10)) for _ in range(8))


def _address(rng: random.Random, region: tuple) -> str:
    _, province, city, districts = region
    return (f"{province}{city}{rng.choice(districts)}{rng.choice(ROADS)}{rng.randrange(1, 3000)}号"
            f"{rng.choice(ADDRESS_TAILS)}")


def _scope(rng: random.Random, scheme: Scheme) -> str:
    """The scope without its level: products, the maturity (or service) phrase, services."""
    products = "、".join(rng.sample(PRODUCTS, rng.randint(2, 9)))
    if rng.random() < 0.6:
        services = SERVICES
    else:
        keep = sorted(rng.sample(range(len(SERVICES)), rng.randint(3, 4)))
        services = tuple(SERVICES[i] for i in keep)
    what = "商品售后服务成熟度" if "成熟度" in scheme.name else "商品售后服务"
    return f"{products}的{what}（{'、'.join(services)}）"


def scope_with_level(base: str, level: str | None) -> str:
    """The scope as stated: the base text with the level in full-width parentheses."""
    return f"{base}（{level}）" if level else base


# --- scores ---------------------------------------------------------------------------------


def _scores(rng: random.Random, scheme: Scheme) -> tuple[dict[str, float | None], set[str]]:
    """Score % per clause number and the not-applicable clause numbers."""
    scorable = [c for c in scheme.clauses if c.code and c.weight > 0]
    # 0-4 not-applicable clauses, a run within one part (like B25-B28 of the real report)
    k = rng.choices((0, 1, 2, 3, 4), weights=(35, 15, 20, 15, 15))[0]
    na: set[str] = set()
    if k:
        part = rng.choice(scheme.parts)
        in_part = [c for c in part.clauses if c.code and c.weight > 0]
        start = rng.randrange(0, len(in_part) - k + 1)
        na = {c.number for c in in_part[start:start + k]}
    pct: dict[str, float | None] = {c.number: (None if c.number in na else 100.0)
                                    for c in scheme.clauses}
    applicable = [c for c in scorable if c.number not in na]
    full = sum(dec(c.weight) for c in applicable)
    first = dec(scheme.levels[0].min)
    if rng.random() < 0.12:  # below every level
        target = first - dec(round(rng.uniform(0.5, 15.0), 1))
    else:
        room = max(full - first - 1, Decimal(0))
        target = full - room * dec(round(rng.betavariate(1.1, 5.0), 3))
    current = full
    rounded = 0
    order = applicable[:]
    rng.shuffle(order)
    # extension clauses lose points first, as in real reports
    order.sort(key=lambda c: (c.base and rng.random() < 0.7))
    for _ in range(4):
        for c in order:
            if current <= target:
                break
            now = pct[c.number]
            lower = [p for p in PCT_VALUES if p < (now or 0)]
            if not lower:
                continue
            choices = [p for p in lower if not (_rounds(c.weight, p) and rounded >= MAX_ROUNDED_ITEMS)]
            if not choices:
                continue
            weights = [{90: 3, 80: 3, 70: 4, 50: 2, 0: 2}[p] for p in choices]
            new = rng.choices(choices, weights=weights)[0]
            rounded += _rounds(c.weight, new)
            current -= exact_item(c.weight, now or 0) - exact_item(c.weight, new)
            pct[c.number] = float(new)
        if current <= target:
            break
    return pct, na


# --- the record -----------------------------------------------------------------------------


def make_truth(seed: int, template: str, scheme_id: str = "CTS ISC-JSGF-06", errors: int = 0,
               *, checks: Sequence[str] | None = None,
               special: str | None = None) -> dict[str, Any]:
    """A random but plausible truth record, deterministic from ``seed``.

    ``template`` names the template it is for (recorded as ``truth["template"]``); a
    template whose body reports under other schemes only (``Template.schemes``, e.g. the
    GB/T 27922-2011 template ``gbt``) turns ``scheme_id`` into its own first scheme, so
    that any plan drawn for it renders a report that body could have written.

    ``errors`` arithmetic errors are injected after the consistent values are computed
    (see the module doc); ``checks`` optionally names their kinds (one entry per error,
    from :data:`CHECKS`), otherwise they are drawn at random. ``special`` forces the
    special items (one of :data:`SPECIAL_CHOICES`), else they are drawn at random.
    """
    if errors < 0:
        raise ValueError("errors must be >= 0")
    if checks is not None and len(checks) != errors:
        raise ValueError(f"checks names {len(checks)} error kind(s) for errors={errors}")
    tpl = TEMPLATES.get(template)
    if tpl is not None:
        scheme_id = tpl.scheme_for(scheme_id)
    scheme = scheme_by_id(scheme_id)
    rng = random.Random(seed)

    cert_body = rng.choice(CERT_BODIES)
    region = rng.choice(REGIONS)
    org_name = f"{region[0]}{rng.choice(ORG_CORES)}{rng.choice(ORG_TRADES)}{rng.choice(ORG_SUFFIXES)}"
    registered = _address(rng, region)
    audit_address = registered if rng.random() < 0.75 else _address(rng, region)
    people: set[str] = set()
    contact = _person(rng, people)

    audit_type = rng.choices(AUDIT_TYPES, weights=(3, 5, 2))[0]
    audit_method = rng.choices(AUDIT_METHODS, weights=(7, 2, 1))[0]
    start = date(2019, 1, 2) + timedelta(days=rng.randrange(0, 6 * 365))
    span = rng.choices((0, 1, 2), weights=(6, 3, 1))[0]
    end = start + timedelta(days=span)
    days = rng.choice([d / 2 for d in range(2, 2 * (span + 1) + 1)])
    first_year = start.year - {"初次认证": rng.choice((0, 0, 1)), "保持认证": rng.choice((1, 2)),
                               "再认证": 3}[audit_type]
    project_no = f"{rng.randrange(1, 400):04d}-{first_year}-SE-{start.year}"

    team = []
    for i in range(rng.choices((1, 2, 3), weights=(5, 3, 2))[0]):
        digits = f"{rng.randrange(100000, 1000000)}"
        team.append({
            "member_code": f"ISC-{digits}",
            "name": _person(rng, people),
            "role": "组长" if i == 0 else "组员",
            "cert_no": f"{rng.randrange(2016, 2024)}-S2SC-1{digits}",
            "specialty_code": rng.choice(SPECIALTY_CODES),
            "phone": _mobile(rng),
        })
    leader = team[0]["name"]
    author = leader if rng.random() < 0.85 else team[-1]["name"]
    scope_base = _scope(rng, scheme)

    pct, na = _scores(rng, scheme)
    clauses = []
    for c in scheme.clauses:
        p = pct[c.number]
        clauses.append({
            "section": c.section, "subsection_no": c.subsection, "clause_no": c.number,
            "code": c.code, "weight": float(c.weight),
            "score_pct": p, "not_applicable": c.number in na,
            "stated_score": 0.0 if p is None else _f(item_score(c.weight, p)),
        })
    sections = []
    for part in scheme.parts:
        stated = sum((dec(r["stated_score"]) for r in clauses if r["section"] == part.section),
                     Decimal(0))
        sections.append({"section": part.section, "title": part.title,
                         "stated_max": float(part.max), "stated_score": _f(stated)})
    raw = sum((dec(s["stated_score"]) for s in sections), Decimal(0))
    scoring = _scoring(random.Random(f"{seed}/special"), scheme, clauses, raw, special,
                       tuple(checks or ()))
    total = dec(scoring["final"])
    level = level_under(scheme, _f(total), scoring["deduction_points"])

    truth: dict[str, Any] = {
        "seed": seed, "template": template, "scheme": scheme.id,
        "report": {
            "spec": scheme.id, "cert_body": cert_body, "org_name": org_name,
            "project_no": project_no, "audit_type": audit_type,
            "registered_address": registered, "audit_address": audit_address,
            "contact_name": contact, "contact_phone": _mobile(rng),
            "audit_method": audit_method,
            "audit_start": start.isoformat(), "audit_end": end.isoformat(), "audit_days": days,
            "team_leader": leader, "scope": scope_with_level(scope_base, level),
            "conclusion": None, "stated_total": _f(total), "stated_level": level,
            "author": author, "compiled_date": end.isoformat(),
            "special_deduction": float(scoring["deduction_points"]),
            "special_addition": float(scoring["addition_points"]),
            "special_reasons": "；".join(r for r in ("、".join(scoring["deduction_reasons"]),
                                                     "、".join(scoring["addition_reasons"])) if r)
            or None,
            "raw_total": scoring["raw"] if scoring["states_raw"] else None,
            "applicable_max": scoring["applicable"] if scoring["states_applicable"] else None,
        },
        "team": team, "sections": sections, "clauses": clauses, "scoring": scoring,
        "injected": [],
    }
    if errors:
        _inject(random.Random(f"{seed}/errors"), truth, scheme, errors, checks)
    rep = truth["report"]
    rep["scope"] = scope_with_level(scope_base, rep["stated_level"])
    yes, no = CONCLUSION[audit_type]
    rep["conclusion"] = yes if rep["stated_level"] else no
    return truth


# --- scoring: special items and the normalised score ---------------------------------------


def level_under(scheme: Scheme, total: float, deduction_points: float) -> str | None:
    """The level of a final score: none at the scheme's deduction limit or more."""
    limit = scheme.scoring.special.level_deduction_limit
    if limit is not None and deduction_points >= limit:
        return None
    return scheme.level_for(total)


def _scoring(rng: random.Random, scheme: Scheme, clauses: list[dict[str, Any]], raw: Decimal,
             special: str | None, wanted: Sequence[str] = ()) -> dict[str, Any]:
    """Special items and the final score: raw sum, applicable points, normalised score
    (GB/T 27922), the points of each kind, and which figures the report states (a figure
    whose error is ``wanted`` is stated, special deductions made when none were drawn)."""
    if special is not None and special not in SPECIAL_CHOICES:
        raise ValueError(f"special={special!r}: expected one of {SPECIAL_CHOICES}")
    counts, weights = zip(*DEDUCTION_COUNTS)
    n_ded = rng.choices(counts, weights=weights)[0]
    counts, weights = zip(*ADDITION_COUNTS)
    n_add = rng.choices(counts, weights=weights)[0]
    if special == "none":
        n_ded = n_add = 0
    elif special == "deduction":
        n_ded, n_add = rng.randint(1, 4), 0
    elif special == "both":
        n_ded, n_add = rng.randint(1, 4), 1
    elif special == "limit":
        n_ded = rng.randint(5, 7)
    if "special_items" in wanted and not n_ded:
        n_ded = 1 + rng.randrange(3)
    rules = scheme.scoring.special
    per_ded = dec(rules.deduction_points or 1)
    per_add = dec(rules.addition_points or 1)
    applicable = sum((dec(c["weight"]) for c in clauses if not c["not_applicable"]), Decimal(0))
    normalises = scheme.scoring.rule == "normalised"
    before = ((raw * 100 / applicable).quantize(TENTH, rounding=ROUND_HALF_UP) if normalises
              else raw)
    ded_points, add_points = per_ded * n_ded, per_add * n_add
    final = before - ded_points + add_points
    # which figures the report states: the normalised score under GB/T (mostly), the raw
    # sum in some CTS reports with special items
    states_figures = (rng.random() < 0.85) if normalises else (
        bool(n_ded or n_add) and rng.random() < 0.5)
    if {"raw_total", "applicable_max", "normalised_score"} & set(wanted):
        states_figures = True
    return {
        "deductions": n_ded, "deduction_points": _f(ded_points),
        "deduction_reasons": rng.sample(DEDUCTION_REASONS, min(n_ded, 2)) if n_ded else [],
        "additions": n_add, "addition_points": _f(add_points),
        "addition_reasons": [rng.choice(ADDITION_REASONS)] if n_add else [],
        "raw": _f(raw), "applicable": _f(applicable), "normalised": _f(before) if normalises else None,
        "final": _f(final),
        "states_raw": states_figures, "states_applicable": states_figures and normalises,
        "states_normalised": states_figures and normalises,
        # the figures as written where they differ from the true ones (errors injected)
        "stated_deduction_points": _f(ded_points), "stated_raw": _f(raw),
        "stated_applicable": _f(applicable), "stated_normalised": _f(before) if normalises else None,
        "form": rng.choice(("sentence", "sentence", "table")),
        "phrasing": rng.randrange(1000),
    }


def available_checks(truth: dict[str, Any]) -> tuple[str, ...]:
    """The error kinds that can be injected into this truth (a figure must be stated)."""
    sc = truth["scoring"]
    out = ["item_score", "section_score", "total", "level"]
    if sc["deductions"]:
        out.append("special_items")
    if sc["states_raw"]:
        out.append("raw_total")
    if sc["states_applicable"]:
        out.append("applicable_max")
    if sc["states_normalised"]:
        out.append("normalised_score")
    return tuple(out)


# --- error injection ------------------------------------------------------------------------


FIGURE_TARGETS = {"special_items": "special_deduction", "raw_total": "raw_total",
                  "applicable_max": "applicable_max", "normalised_score": "normalised"}


def _slots(rng: random.Random, scheme: Scheme, k: int, checks: Sequence[str] | None,
           available: Sequence[str] = CHECKS[:4]) -> list[tuple[str, str]]:
    """k non-interacting (check, place) slots among the ``available`` kinds."""
    sections = [p.section for p in scheme.parts]
    every = ([("item_score", s) for s in sections] + [("section_score", s) for s in sections]
             + [("total", "total"), ("level", "total")]
             + [(c, t) for c, t in FIGURE_TARGETS.items() if c in available])

    def clashes(a: tuple[str, str], b: tuple[str, str]) -> bool:
        if {a[0], b[0]} == {"item_score", "section_score"} and a[1] == b[1]:
            return True
        if {a[0], b[0]} in ({"total", "level"}, {"special_items", "total"},
                            {"special_items", "level"}):
            return True
        return a == b

    wanted = list(checks) if checks is not None else None
    if wanted is not None:
        unknown = [c for c in wanted if c not in CHECKS]
        if unknown:
            raise ValueError(f"unknown check(s) {unknown}; known: {', '.join(CHECKS)}")
    pool = every[:]
    rng.shuffle(pool)
    chosen: list[tuple[str, str]] = []
    if wanted is not None:
        for kind in wanted:
            slot = next((s for s in pool if s[0] == kind and not any(clashes(s, c) for c in chosen)),
                        None)
            if slot is None and kind not in available:
                raise ValueError(f"cannot inject {kind}: the report does not state that figure")
            if slot is None:
                raise ValueError(f"cannot inject {wanted} without errors that interact")
            chosen.append(slot)
        return chosen
    for s in pool:
        if len(chosen) == k:
            break
        if not any(clashes(s, c) for c in chosen):
            chosen.append(s)
    if len(chosen) < k:
        raise ValueError(f"at most {len(chosen)} non-interacting errors fit a report, not {k}")
    return chosen


def _shift(rng: random.Random, value: Decimal, low: Decimal, high: Decimal,
           deltas: Sequence[str]) -> Decimal:
    """``value`` moved by one of ``deltas`` staying within [low, high]."""
    options = [value + dec(d) for d in deltas if low <= value + dec(d) <= high]
    if not options:
        options = [value + dec(d) for d in deltas]
    return rng.choice(options)


def _inject(rng: random.Random, truth: dict[str, Any], scheme: Scheme, k: int,
            checks: Sequence[str] | None) -> None:
    slots = _slots(rng, scheme, k, checks, available_checks(truth))
    sc = truth["scoring"]
    order = {c: i for i, c in enumerate(CHECKS)}
    slots.sort(key=lambda s: order[s[0]])
    rep = truth["report"]
    by_section = {s["section"]: s for s in truth["sections"]}
    for kind, place in slots:
        if kind == "item_score":
            rows = [r for r in truth["clauses"] if r["section"] == place and r["code"]
                    and r["weight"] > 0 and not r["not_applicable"]]
            row = rng.choice(rows)
            exact = exact_item(row["weight"], row["score_pct"])
            candidates = {item_score(row["weight"], p) for p in PCT_VALUES}
            candidates |= {dec(row["weight"]) + 1, max(dec(row["weight"]) - 1, Decimal(0))}
            wrong = rng.choice(sorted(v for v in candidates if abs(v - exact) >= Decimal("0.3")))
            row["stated_score"] = _f(wrong)
            truth["injected"].append({"check": kind, "target": row["code"],
                                      "stated": row["stated_score"], "expected": float(exact)})
        elif kind == "section_score":
            sec = by_section[place]
            exact = sum((exact_item(r["weight"], r["score_pct"]) for r in truth["clauses"]
                         if r["section"] == place and r["score_pct"] is not None), Decimal(0))
            wrong = _shift(rng, dec(sec["stated_score"]), Decimal(0), dec(sec["stated_max"]),
                           ("-3", "-2", "-1", "-0.5", "0.5", "1", "2", "3"))
            sec["stated_score"] = _f(wrong)
            truth["injected"].append({"check": kind, "target": place,
                                      "stated": sec["stated_score"], "expected": float(exact)})
        elif kind == "total":
            wrong = _shift(rng, dec(rep["stated_total"]), Decimal(0), dec(scheme.total_max),
                           ("-10", "-2", "-1", "-0.5", "0.5", "1", "2", "10"))
            rep["stated_total"] = _f(wrong)
            rep["stated_level"] = level_under(scheme, rep["stated_total"], sc["deduction_points"])
            truth["injected"].append({"check": kind, "target": "total",
                                      "stated": rep["stated_total"], "expected": sc["final"]})
        elif kind == "special_items":
            wrong = _shift(rng, dec(sc["deduction_points"]), Decimal(0), Decimal(20),
                           ("-2", "-1", "1", "2"))
            sc["stated_deduction_points"] = _f(wrong)
            rep["special_deduction"] = _f(wrong)
            truth["injected"].append({"check": kind, "target": "special_deduction",
                                      "stated": _f(wrong), "expected": sc["deduction_points"]})
        elif kind in ("raw_total", "applicable_max", "normalised_score"):
            key = {"raw_total": "raw", "applicable_max": "applicable",
                   "normalised_score": "normalised"}[kind]
            deltas = ("-5", "-2", "2", "5") if kind == "applicable_max" else ("-2", "-1", "1", "2")
            wrong = _shift(rng, dec(sc[key]), Decimal(0), dec(scheme.total_max), deltas)
            sc[f"stated_{key}"] = _f(wrong)
            if key in ("raw", "applicable"):
                rep[f"{key}_total" if key == "raw" else "applicable_max"] = _f(wrong)
            truth["injected"].append({"check": kind, "target": FIGURE_TARGETS[kind],
                                      "stated": _f(wrong), "expected": sc[key]})
        else:  # level
            right = level_under(scheme, rep["stated_total"], sc["deduction_points"])
            names = [lv.level for lv in scheme.levels]
            if right is None:
                wrong_level = names[0]
            else:
                i = names.index(right)
                near = [names[j] for j in (i - 1, i + 1) if 0 <= j < len(names)]
                wrong_level = rng.choice(near)
            rep["stated_level"] = wrong_level
            truth["injected"].append({"check": kind, "target": "total",
                                      "stated": wrong_level, "expected": right})

