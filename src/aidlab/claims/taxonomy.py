"""The metric taxonomy: what a reported figure counts, with English and Chinese labels.

A claim's metric is decided by the first rule whose unit set admits the claim's unit and whose
keyword pattern matches the claim's context (the words before the number in its clause, and the
noun right after its unit). `other` when no rule fits: the taxonomy is small on purpose, and an
honest `other` is better than a forced label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """One metric: key, labels, the units it admits (empty = any), and its keyword pattern."""

    key: str
    en: str
    zh: str
    units: frozenset[str]
    pattern: re.Pattern


def _m(key: str, en: str, zh: str, units: str, pattern: str) -> Metric:
    return Metric(key, en, zh, frozenset(units.split()), re.compile(pattern))


PEOPLE = "名 人 人次 位"
#: Rules in priority order (first match wins).
METRICS: list[Metric] = [
    _m("surgeries", "Surgeries", "手术", "台次 台 例 例次 人次 次 台例", r"手术(?!示教)"),
    _m("new_techniques", "New techniques and services", "新技术新项目", "项 个", r"新技术|新项目|新业务|技术空白"),
    _m("research", "Research projects", "科研课题", "个 项 篇", r"课题|科研|论文|专利"),
    _m("patients_seen", "Patients seen", "接诊患者", f"{PEOPLE} 万人次",
       r"接诊|诊疗|门诊|急诊|就诊|患者|诊治|病人|救治|查体|看病"),
    _m("trainees", "Local staff trained", "培训本地人员", f"{PEOPLE} 对", r"培训|进修|带教|师徒|帮带|传帮带|学习|跟岗"),
    _m("experts_sent", "Experts and staff sent", "派出专家和医务人员", PEOPLE,
       r"选派|派出|派驻|增派|下沉|引入|援疆|援藏|支援|组团|专家|医疗队员|医疗骨干|医务人员|医生|医师|干部|人才"),
    _m("outreach", "Outreach and free clinics", "巡诊义诊", "次 场 轮 人次",
       r"巡诊|义诊|巡回医疗|医疗巴扎|送医"),
    _m("consultations", "Consultations, ward rounds, teaching", "会诊查房示教", "次 例",
       r"会诊|查房|示教|病例讨论|远程"),
    _m("funds", "Funds", "资金", "元", r"."),
    _m("beneficiaries", "Beneficiaries", "受益群众", f"{PEOPLE}", r"受益|群众|牧民|困难"),
    _m("counties", "Counties and townships", "县乡", "县", r"."),
    _m("counties", "Counties and townships", "县乡", "个", r"贫困县|县$|乡$|^[^医院]*[县乡镇]$|牧区乡"),
    _m("departments", "Departments and specialties", "科室和专科", "个 项", r"科室|专科|专业|学科|联盟"),
    _m("hospitals", "Hospitals and institutions", "医院和机构", "家 所 个", r"医院|卫生院|机构|医疗卫生|三甲|卫生室"),
    _m("facilities", "Facilities and projects", "设施和项目", "个 站 间 座 张 辆 平米 平方米", r"站|项目|病床|床位|救护车|综合楼|设备|工作站|村"),
    _m("batches", "Batches and teams", "批次和团队", "批 支 轮", r"."),
    _m("rate", "Rates and shares", "比率", "% ‰", r"."),
]
OTHER = Metric("other", "Other", "其他", frozenset(), re.compile("."))
METRIC_BY_KEY = {m.key: m for m in [*METRICS, OTHER]}


def classify(unit: str, *contexts: str) -> str:
    """The metric key of a claim with this unit: the first rule matching the first context that any rule matches.

    Contexts go from most to least specific (the noun after the unit, then the words before the number).
    """
    for context in contexts:
        if not context:
            continue
        for metric in METRICS:
            if unit in metric.units and metric.pattern.search(context):
                return metric.key
    for metric in METRICS:  # no words around the figure: a unit that alone decides (元 → funds, % → rate)
        if unit in metric.units and metric.pattern.pattern == ".":
            return metric.key
    return "other"


def label(key: str, lang: str = "en") -> str:
    """The English or Chinese label of a metric key."""
    metric = METRIC_BY_KEY[key]
    return metric.zh if lang == "zh" else metric.en
