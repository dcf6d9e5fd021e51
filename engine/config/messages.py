"""pydantic's error types in Chinese and English, with the value the admin wrote and what to write.

pydantic's own text is English only ("Input should be a valid decimal"); :func:`bilingual` gives a
sentence for each error type an admin meets in a programme file, and a hint for the usual slips:
a number written in Chinese (三), a date written 2026/3/1, a yes/no written 是/否.
"""

from __future__ import annotations

import re
from typing import Any

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾"
ZH = {
    "int_parsing": "应为整数", "int_type": "应为整数", "int_from_float": "应为整数（不带小数）",
    "float_parsing": "应为数字", "float_type": "应为数字", "decimal_parsing": "应为数字",
    "decimal_type": "应为数字", "bool_parsing": "应为 true 或 false", "bool_type": "应为 true 或 false",
    "string_type": "应为文字", "date_parsing": "日期格式不对", "date_from_datetime_parsing": "日期格式不对",
    "date_type": "日期格式不对", "datetime_parsing": "时间格式不对", "datetime_from_date_parsing": "时间格式不对",
    "list_type": "应为列表（- 项目 或 [a, b]）", "dict_type": "应为映射（键: 值）", "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）", "greater_than_equal": "数值太小", "greater_than": "数值太小",
    "less_than_equal": "数值太大", "less_than": "数值太大", "string_too_short": "文字太短",
    "string_too_long": "文字太长", "string_pattern_mismatch": "格式不符合要求", "literal_error": "不是允许的取值",
    "enum": "不是允许的取值", "too_short": "项目太少", "too_long": "项目太多", "value_error": "取值无效",
    "assertion_error": "取值无效", "url_parsing": "网址格式不对", "json_invalid": "不是有效的 JSON",
}


def bilingual(kind: str, msg: str, found: Any) -> str:
    """One sentence, Chinese first: what is wrong, the value found, and a hint for the usual slips."""
    zh = ZH.get(kind, "取值无效")
    english = msg[len("Value error, "):] if msg.startswith("Value error, ") else msg
    shown = repr(found) if not isinstance(found, (dict, list)) else type(found).__name__
    text = f"{zh} / {english} (found {shown})"
    slip = _slip(kind, found)
    return f"{text}; {slip}" if slip else text


def _slip(kind: str, found: Any) -> str:
    if not isinstance(found, str):
        return ""
    if kind.startswith(("int_", "float_", "decimal_")) and found and all(c in CN_DIGITS for c in found):
        return f"请用阿拉伯数字，不要写成「{found}」/ write the number in digits (e.g. 3), not in Chinese"
    if kind.startswith(("int_", "float_", "decimal_")) and re.search(r"[\uff10-\uff19]", found):
        return "请用半角数字 / use half-width digits 0-9"
    if kind.startswith(("int_", "float_", "decimal_")) and re.search(r"[\u4e00-\u9fff]", found):
        return "请只写阿拉伯数字，单位由键名决定（如 _minutes 为分钟）/ write only the number in digits; the key's name " \
               "gives the unit (e.g. _minutes)"
    m = re.fullmatch(r"\s*(\d{4})\s*[/.年]\s*(\d{1,2})\s*[/.月]\s*(\d{1,2})\s*日?\s*", found)
    if kind.startswith(("date", "datetime")) and m:
        y, mo, d = (int(x) for x in m.groups())
        return f"日期请写成 {y:04d}-{mo:02d}-{d:02d} / write dates as {y:04d}-{mo:02d}-{d:02d} (year-month-day)"
    if kind.startswith("bool") and found.strip() in {"是", "否", "对", "错", "开", "关"}:
        return "请写 true（是）或 false（否）/ write true or false"
    return ""
