"""Tests for engine.imports.tabular: reading CSV/XLSX registration files and validating rows.

Valid ID numbers used here are the published samples and hand-worked numbers from
tests/engine/people/test_people_idcard.py (check characters worked out there):

    11010519491231002X  female, 1949-12-31      440524188001010014  male, 1880-01-01
    440802199003071234  male, 1990-03-07        440524198001010013  male, 1980-01-01
    110105200002290021  female, 2000-02-29

Bulk tests use legacy 15-digit numbers, which carry no check character, so that
thousands of distinct valid numbers can be written without computing checksums.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from pydantic import BaseModel

from engine.imports.tabular import (
    DEFAULT_HEADER_MAP,
    FieldSpec,
    HeaderMap,
    RowError,
    TableError,
    VolunteerRow,
    import_registration_file,
    normalise_header,
    parse_date_text,
    read_table,
    split_list,
    validate_rows,
)

WANG = "11010519491231002X"  # female
LI = "440524188001010014"  # male
ZHANG = "440802199003071234"  # male
ZHAO = "440524198001010013"  # male

HEADER = "姓名,性别,身份证号码,手机,技能,可服务时间,所在单位"
GOOD_CSV = "\n".join(
    [
        HEADER,
        f"王芳,女,{WANG},138 1234 5678,急救、翻译;摄影,周末,东湖街道",
        f"李强,男,{LI},+86 139-0000-1111,,工作日晚上,东湖街道",
        f"张伟,男,{ZHANG},,心理咨询,,某科技公司",
    ]
)


def errors_by_row(result: object) -> dict[int, list[RowError]]:
    grouped: dict[int, list[RowError]] = {}
    for error in result.errors:  # type: ignore[attr-defined]
        grouped.setdefault(error.row, []).append(error)
    return grouped


def write_xlsx(
    path: Path, rows: list[list[object]], *, title: str | None = None, text_columns: int = 0
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row[:text_columns]:
            cell.number_format = "@"
    workbook.save(path)
    return path


# --- reading CSV -------------------------------------------------------------


def test_csv_utf8_with_chinese_headers() -> None:
    table = read_table(GOOD_CSV.encode("utf-8"), filename="东湖街道.csv")
    assert table.encoding == "utf-8"
    assert table.delimiter == ","
    assert table.columns == HEADER.split(",")
    result = validate_rows(table, VolunteerRow, DEFAULT_HEADER_MAP)
    assert result.ok, result.errors
    assert [number for number, _ in result.good] == [2, 3, 4]
    wang = result.good[0][1]
    assert wang.name == "王芳"
    assert wang.gender == "female"
    assert wang.id_number == WANG
    assert wang.phone == "13812345678"
    assert wang.skills == ["急救", "翻译", "摄影"]
    assert wang.availability == "周末"
    assert wang.unit == "东湖街道"
    assert result.good[1][1].phone == "13900001111"
    assert result.good[2][1].phone is None
    assert result.columns["id_number"] == "身份证号码"


def test_csv_utf8_with_bom() -> None:
    table = read_table(b"\xef\xbb\xbf" + GOOD_CSV.encode("utf-8"), filename="a.csv")
    assert table.encoding == "utf-8-sig"
    assert table.columns[0] == "姓名"  # no BOM glued to the first header
    assert len(validate_rows(table, VolunteerRow).good) == 3


def test_csv_gbk_from_chinese_excel() -> None:
    data = GOOD_CSV.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # make sure the test really exercises the fallback
    table = read_table(data, filename="a.csv")
    assert table.encoding == "gb18030"
    result = validate_rows(table, VolunteerRow)
    assert result.ok
    assert [model.name for _, model in result.good] == ["王芳", "李强", "张伟"]


def test_csv_utf16_tab_separated_unicode_text_export() -> None:
    data = GOOD_CSV.replace(",", "\t").encode("utf-16")
    table = read_table(data, filename="a.txt")
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert validate_rows(table, VolunteerRow).ok


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_csv_other_delimiters(delimiter: str) -> None:
    text = f"姓名{delimiter}身份证号\n王芳{delimiter}{WANG}\n李强{delimiter}{LI}\n"
    table = read_table(text.encode(), filename="a.csv")
    assert table.delimiter == delimiter
    assert len(validate_rows(table, VolunteerRow).good) == 2


def test_semicolons_inside_cells_do_not_fool_delimiter_detection() -> None:
    text = f"姓名,身份证号,技能\n王芳,{WANG},急救;翻译\n李强,{LI},摄影;驾驶;厨艺\n"
    table = read_table(text.encode(), filename="a.csv")
    assert table.delimiter == ","
    assert validate_rows(table, VolunteerRow).good[1][1].skills == ["摄影", "驾驶", "厨艺"]


def test_table_iterates_row_number_and_dict_and_is_reiterable() -> None:
    table = read_table(GOOD_CSV.encode(), filename="a.csv")
    first = list(table)
    assert first[0][0] == 2
    assert first[0][1]["姓名"] == "王芳"
    assert list(table) == first


def test_empty_rows_are_skipped_but_still_counted() -> None:
    text = "\n".join(
        [
            "姓名,身份证号",
            f"王芳,{WANG}",
            "",
            ",",
            " , ",
            f"李强,{LI}",
            "",
        ]
    )
    table = read_table(text.encode(), filename="a.csv")
    assert [number for number, _ in table] == [2, 6]
    result = validate_rows(table, VolunteerRow)
    assert [number for number, _ in result.good] == [2, 6]
    assert result.rows_read == 2


def test_row_numbers_count_a_multiline_cell_as_one_row() -> None:
    text = f'姓名,身份证号,备注\n王芳,{WANG},"第一行\n第二行"\n李强,110105194912310025,\n'
    result = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow)
    assert result.good[0][1].remarks == "第一行\n第二行"
    assert [error.row for error in result.errors] == [3]


def test_bad_row_is_reported_by_row_and_column() -> None:
    text = "\n".join(
        [
            "姓名,身份证号,手机号",
            f"王芳,{WANG},13812345678",
            f"李强,{LI},13812345678",
            "张伟,110105194912310025,13812345678",  # check character should be X
            f"赵敏,{ZHAO},12345",
        ]
    )
    result = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow)
    assert [number for number, _ in result.good] == [2, 3]
    assert result.error_rows == [4, 5]
    (id_error,) = errors_by_row(result)[4]
    assert id_error.column == "身份证号"
    assert id_error.value == "110105194912310025"
    assert id_error.field == "id_number"
    assert id_error.message.startswith("第 4 行「身份证号」: 校验码应为 X")
    assert " / row 4, column 身份证号: check digit should be X" in id_error.message
    (phone_error,) = errors_by_row(result)[5]
    assert phone_error.column == "手机号"
    assert phone_error.message.startswith("第 5 行「手机号」: 手机号应为 11 位")
    assert "row 5, column 手机号: a mobile number has 11 digits" in phone_error.message


def test_one_row_can_have_several_errors() -> None:
    text = "姓名,身份证号,手机,出生日期\n,1101051949123,110,1990-02-30\n"
    result = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow)
    columns = {error.column: error for error in result.errors}
    assert set(columns) == {"姓名", "身份证号", "手机", "出生日期"}
    assert "必填" in columns["姓名"].message and columns["姓名"].code == "missing"
    assert "18 位" in columns["身份证号"].message
    assert "不是有效日期" in columns["出生日期"].message


def test_gender_mismatch_is_reported_on_the_gender_column() -> None:
    text = f"姓名,性别,身份证号\n王芳,男,{WANG}\n"
    (error,) = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow).errors
    assert (error.row, error.column, error.value) == (2, "性别", "男")
    assert "性别「男」与身份证号（女）不符" in error.message


def test_birth_date_mismatch_is_reported_on_the_birth_date_column() -> None:
    text = f"姓名,出生日期,身份证号\n王芳,1949年12月31日,{WANG}\n李强,1880/1/2,{LI}\n"
    result = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow)
    assert [number for number, _ in result.good] == [2]
    assert result.good[0][1].birth_date == date(1949, 12, 31)
    (error,) = result.errors
    assert (error.row, error.column) == (3, "出生日期")
    assert "1880-01-02" in error.message and "1880-01-01" in error.message


def test_unrecognised_gender_word() -> None:
    text = f"姓名,性别,身份证号\n王芳,未知,{WANG}\n"
    (error,) = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow).errors
    assert error.column == "性别"
    assert "无法识别" in error.message


def test_duplicate_id_number_names_the_first_row() -> None:
    text = "\n".join(
        [
            "姓名,身份证号",
            f"王芳,{WANG}",
            f"李强,{LI}",
            "王芳,11010519491231002x",  # same person, lower-case x
            "王芳,110105491231002",  # same person, legacy 15-digit form
        ]
    )
    result = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow)
    assert [number for number, _ in result.good] == [2, 3]
    assert [(error.row, error.code) for error in result.errors] == [(4, "duplicate"), (5, "duplicate")]
    assert result.errors[0].column == "身份证号"
    assert "与第 2 行的身份证号重复" in result.errors[0].message
    assert "same ID number as row 2" in result.errors[0].message


def test_a_row_with_other_errors_still_claims_its_id_number() -> None:
    text = f"姓名,身份证号,手机\n王芳,{WANG},110\n王芳,{WANG},13812345678\n"
    result = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow)
    assert [(error.row, error.code) for error in result.errors] == [(2, "value_error"), (3, "duplicate")]


def test_missing_required_column_is_a_file_level_error() -> None:
    text = "姓名,手机\n王芳,13812345678\n"
    result = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow)
    assert not result.ok
    assert result.good == [] and result.errors == []
    (message,) = result.file_errors
    assert "缺少必需的列「身份证号」" in message
    assert "missing required column 'ID number'" in message
    assert "公民身份号码" in message  # tells people what the column may be called


def test_two_columns_for_one_field_is_a_file_level_error() -> None:
    text = f"姓名,身份证号,手机,联系电话\n王芳,{WANG},13812345678,13912345678\n"
    result = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow)
    (message,) = result.file_errors
    assert "「手机」、「联系电话」都表示手机号" in message


def test_unknown_headers_are_warnings_and_serial_numbers_are_ignored() -> None:
    text = f"序号,姓名,身份证号,鞋码\n1,王芳,{WANG},38\n2,,,\n3,,,\n"
    result = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow)
    assert result.ok
    assert [number for number, _ in result.good] == [2]  # pre-numbered empty template rows skipped
    assert result.warnings == ["未识别的列「鞋码」，已忽略 / unrecognised column '鞋码' ignored"]


def test_header_notes_markers_and_english_aliases() -> None:
    text = f"*Name,ID Number（必填）, Mobile ,Skills\nWang Fang,{WANG},13812345678,first aid/translation\n"
    result = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow)
    assert result.ok, result.file_errors
    assert result.good[0][1].skills == ["first aid", "translation"]
    assert result.columns == {
        "name": "*Name",
        "id_number": "ID Number（必填）",
        "phone": "Mobile",
        "skills": "Skills",
    }


def test_scientific_notation_id_in_csv_is_explained() -> None:
    text = "姓名,身份证号\n王芳,1.10105E+17\n"
    (error,) = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow).errors
    assert "科学计数法" in error.message and "scientific notation" in error.message


def test_excel_text_formula_is_unwrapped() -> None:
    text = f'姓名,身份证号\n王芳,="{WANG}"\n'
    assert validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow).ok


def test_title_row_above_header_is_skipped_and_rows_keep_spreadsheet_numbers() -> None:
    text = f"东湖街道志愿者花名册,,\n姓名,身份证号,手机\n王芳,{WANG},13812345678\n李强,110105194912310025,\n"
    table = read_table(text.encode(), filename="a.csv")
    assert table.header_row == 2
    result = validate_rows(table, VolunteerRow)
    assert [number for number, _ in result.good] == [3]
    assert result.errors[0].row == 4


def test_explicit_header_row() -> None:
    text = f"说明：请勿修改表头,x\n姓名,身份证号\n王芳,{WANG}\n"
    table = read_table(text.encode(), filename="a.csv", header_row=2)
    assert table.columns == ["姓名", "身份证号"]
    assert validate_rows(table, VolunteerRow).good[0][0] == 3


def test_values_beyond_the_last_header_are_a_warning() -> None:
    text = f"姓名,身份证号\n王芳,{WANG},多余\n"
    result = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow)
    assert result.ok
    assert result.warnings and "第 2 行" in result.warnings[0]


# --- reading XLSX ------------------------------------------------------------


def test_xlsx_with_dates_numbers_and_text_ids(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "单位名单.xlsx",
        [
            ["姓名", "身份证号", "出生日期", "手机号", "技能"],
            ["王芳", WANG, datetime(1949, 12, 31), 13812345678, "急救"],
            [None, None, None, None, None],
            ["李强", LI, date(1880, 1, 1), 13900001111.0, None],
        ],
    )
    table = read_table(path)
    assert table.format == "xlsx"
    assert table.filename == "单位名单.xlsx"
    rows = dict(table)
    assert rows[2]["出生日期"] == "1949-12-31"
    assert rows[2]["手机号"] == "13812345678"
    assert rows[4]["手机号"] == "13900001111"  # float without ".0"
    result = validate_rows(table, VolunteerRow)
    assert result.ok, result.errors
    assert [number for number, _ in result.good] == [2, 4]
    assert result.good[1][1].birth_date == date(1880, 1, 1)
    table.close()


def test_xlsx_numeric_id_cell_is_reported(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [
            ["姓名", "身份证号"],
            ["王芳", WANG],
            ["李强", 440524188001010014],  # what Excel keeps of it: 4.40524188001010E+17
            ["张伟", 440802199003071234.0],
        ],
    )
    result = validate_rows(read_table(path), VolunteerRow)
    assert [number for number, _ in result.good] == [2]
    assert [(error.row, error.column, error.code) for error in result.errors] == [
        (3, "身份证号", "numeric_cell"),
        (4, "身份证号", "numeric_cell"),
    ]
    message = result.errors[0].message
    assert message.startswith("第 3 行「身份证号」: 该单元格是数字格式")
    assert "format the column as Text" in message


def test_xlsx_named_sheet_and_missing_sheet(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["请在第二个工作表填写"])
    people = workbook.create_sheet("名单")
    people.append(["姓名", "身份证号"])
    people.append(["王芳", WANG])
    path = tmp_path / "a.xlsx"
    workbook.save(path)

    table = read_table(path, sheet="名单")
    assert table.sheet == "名单"
    assert validate_rows(table, VolunteerRow).good[0][1].name == "王芳"
    assert "姓名" not in read_table(path).columns  # default: first sheet
    with pytest.raises(TableError, match="名单"):
        read_table(path, sheet="Sheet9")


def test_xlsx_from_bytes_and_file_object(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [["姓名", "身份证号"], ["王芳", WANG]])
    data = path.read_bytes()
    assert list(read_table(data, filename="upload.xlsx")) == [(2, {"姓名": "王芳", "身份证号": WANG})]
    with path.open("rb") as handle:
        assert len(list(read_table(handle))) == 1
    # The ZIP signature wins over a wrong extension.
    assert read_table(data, filename="renamed.csv").format == "xlsx"


def test_xlsx_title_row_and_empty_rows(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [
            ["某公司志愿者报名表"],
            ["姓名", "性别", "身份证号"],
            ["王芳", "女", WANG],
            [],
            [],
            ["李强", "女", LI],
        ],
    )
    result = validate_rows(read_table(path), VolunteerRow)
    assert [number for number, _ in result.good] == [3]
    assert [(error.row, error.column) for error in result.errors] == [(6, "性别")]


def test_legacy_xls_and_broken_files_are_rejected() -> None:
    with pytest.raises(TableError, match=r"\.xls"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, filename="a.xls")
    with pytest.raises(TableError, match=r"不是有效的 \.xlsx"):
        read_table(b"not a zip", filename="a.xlsx")
    with pytest.raises(TableError, match="不支持的文件类型"):
        read_table(b"%PDF-1.4", filename="a.pdf")
    with pytest.raises(TableError, match="空"):
        read_table(b"", filename="a.csv")
    with pytest.raises(TableError, match="表头"):
        read_table(b"\n\n,,\n", filename="a.csv")


def test_import_registration_file_one_call() -> None:
    result = import_registration_file(GOOD_CSV.encode("gbk"), filename="a.csv")
    assert result.ok and len(result.good) == 3
    broken = import_registration_file(b"not a zip", filename="a.xlsx")
    assert broken.file_errors and not broken.good


# --- generic models and header maps -----------------------------------------


class ShiftRow(BaseModel):
    volunteer: str
    hours: float
    day: date


def test_custom_model_header_map_and_pydantic_messages() -> None:
    header_map = HeaderMap(
        [
            FieldSpec("volunteer", "志愿者", "volunteer", ("志愿者", "姓名"), required=True),
            FieldSpec("hours", "时长", "hours", ("服务时长", "时长")),
        ]
    )
    text = "姓名,服务时长,day\n王芳,2.5,2024-05-01\n李强,两小时,2024-05-32\n"
    result = validate_rows(read_table(text.encode(), filename="a.csv"), ShiftRow, header_map)
    assert result.good[0][1] == ShiftRow(volunteer="王芳", hours=2.5, day=date(2024, 5, 1))
    messages = {error.column: error.message for error in result.errors}
    assert messages["服务时长"].startswith(
        "第 3 行「服务时长」: 应为数字 / row 3, column 服务时长: must be a number"
    )
    assert "day" in messages  # a model field without a FieldSpec is matched by its own name


def test_custom_model_missing_required_field_without_spec() -> None:
    text = "姓名,服务时长\n王芳,2\n"
    header_map = HeaderMap(
        [FieldSpec("volunteer", aliases=("姓名",)), FieldSpec("hours", aliases=("服务时长",))]
    )
    result = validate_rows(read_table(text.encode(), filename="a.csv"), ShiftRow, header_map)
    assert result.file_errors == [
        "缺少必需的列「day」（可用列名：day） / missing required column 'day' (accepted headers: day)"
    ]


def test_header_map_rejects_an_alias_claimed_twice() -> None:
    with pytest.raises(ValueError, match="电话"):
        HeaderMap([FieldSpec("phone", aliases=("电话",)), FieldSpec("landline", aliases=("电话",))])


def test_header_map_extended_replaces_and_adds() -> None:
    header_map = DEFAULT_HEADER_MAP.extended(FieldSpec("shoe_size", "鞋码", "shoe size", ("鞋码",)))
    assert header_map.field_for("鞋码") == "shoe_size"
    assert header_map.field_for("公民身份号码") == "id_number"
    assert DEFAULT_HEADER_MAP.field_for("鞋码") is None


def test_normalise_header() -> None:
    assert normalise_header("手机号（必填）") == "手机号"
    assert normalise_header(" ID_Number ") == "idnumber"
    assert normalise_header("*身份证号码：") == "身份证号码"
    assert normalise_header("技能/特长") == "技能特长"


@pytest.mark.parametrize(
    "text",
    [
        "1990-03-07",
        "1990/3/7",
        "1990.03.07",
        "1990年3月7日",
        "19900307",
        "１９９０－０３－０７",
        "1990-03-07 00:00:00",
    ],
)
def test_parse_date_text(text: str) -> None:
    assert parse_date_text(text) == date(1990, 3, 7)


def test_parse_date_text_rejects() -> None:
    with pytest.raises(ValueError, match="无法识别"):
        parse_date_text("三月七日")
    with pytest.raises(ValueError, match="不是有效日期"):
        parse_date_text("1990-02-30")


def test_split_list() -> None:
    assert split_list("急救、翻译，摄影,驾驶;厨艺；心理/法律\n急救") == [
        "急救",
        "翻译",
        "摄影",
        "驾驶",
        "厨艺",
        "心理",
        "法律",
    ]
    assert split_list(" ") == []


def test_volunteer_row_used_directly() -> None:
    row = VolunteerRow.model_validate({"name": " 王芳 ", "id_number": "110105491231002", "gender": "F"})
    assert (row.name, row.id_number, row.gender, row.skills) == ("王芳", WANG, "female", [])


# --- volume --------------------------------------------------------------------


def _bulk_rows(count: int) -> list[list[str]]:
    rows = []
    for index in range(count):
        # Legacy 15-digit numbers: 110105 + 1980-01-01 .. + 3-digit sequence; no check character.
        day = date(1980, 1, 1).toordinal() + index // 999
        born = date.fromordinal(day)
        sequence = index % 999 + 1
        number = f"110105{born:%y%m%d}{sequence:03d}"
        rows.append([f"志愿者{index}", number, f"139{index:08d}", "急救、翻译", "东湖街道"])
    return rows


def test_ten_thousand_csv_rows() -> None:
    # Speed is measured in bench/, not asserted here (shared machines are noisy).
    lines = ["姓名,身份证号,手机,技能,单位"] + [",".join(row) for row in _bulk_rows(10_000)]
    data = "\n".join(lines).encode("gbk")
    result = validate_rows(read_table(data, filename="a.csv"), VolunteerRow)
    assert result.ok, result.errors[:3]
    assert len(result.good) == 10_000
    assert result.good[-1][0] == 10_001


def test_ten_thousand_xlsx_rows(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "big.xlsx", [["姓名", "身份证号", "手机", "技能", "单位"], *_bulk_rows(10_000)]
    )
    result = validate_rows(read_table(path), VolunteerRow)
    assert result.ok and len(result.good) == 10_000


def test_table_from_in_memory_csv_file_object() -> None:
    table = read_table(io.BytesIO(GOOD_CSV.encode()), filename="a.csv")
    assert len(list(table)) == 3


def test_blank_header_columns_warn_only_when_they_hold_values() -> None:
    text = f"姓名,,身份证号,,\n王芳,,{WANG},,\n李强,,{LI},,\n"
    table = read_table(text.encode(), filename="a.csv")
    assert table.columns == ["姓名", "列B", "身份证号"]  # trailing blank headers dropped
    result = validate_rows(table, VolunteerRow)
    assert result.ok and result.warnings == []

    text = f"姓名,,身份证号\n王芳,备注一,{WANG}\n"
    result = validate_rows(read_table(text.encode(), filename="a.csv"), VolunteerRow)
    assert result.ok
    assert result.warnings == [
        "「列B」没有表头，其中的内容已忽略 / 列B has no header; its values were ignored"
    ]


def test_repeated_header_text_is_a_conflict() -> None:
    text = f"姓名,身份证号,手机,手机\n王芳,{WANG},13812345678,13912345678\n"
    table = read_table(text.encode(), filename="a.csv")
    assert table.columns == ["姓名", "身份证号", "手机", "手机 (2)"]
    assert validate_rows(table, VolunteerRow).file_errors
