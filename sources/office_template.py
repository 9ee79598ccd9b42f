"""The office's Excel template for figures never published on the web.

``write_template`` produces a workbook the office fills in by hand: yearly figures (certified firms,
demonstration/advantage firms and parks, pledge-financed entities) and the plan's milestones with
their dates and status. ``sources.office`` reads a filled copy back, cell by cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from sources.reference import indicators, regions

FIGURES_SHEET = "年度数据"
MILESTONES_SHEET = "里程碑"
README_SHEET = "填表说明"

FIGURE_COLUMNS = ("地区代码", "地区", "指标代码", "指标名称", "年份", "数值", "单位", "备注")
MILESTONE_COLUMNS = (
    "地区代码",
    "地区",
    "指标代码",
    "里程碑",
    "要求数量",
    "已建成数量",
    "完成日期",
    "状态",
    "备注",
)
STATUSES = ("未启动", "建设中", "已建成", "已认定")

# Figures only the office holds (never published on the web for Huainan).
OFFICE_FIGURES = (
    "ip_certified_firms",
    "national_demo_firms",
    "national_advantage_firms",
    "provincial_demo_firms",
    "demo_parks",
    "pledge_financed_entities",
    "patent_pledge_amount",
)
MILESTONES = (
    ("milestone_patent_navigation_base", 1),
    ("milestone_tech_transfer_center", 1),
    ("milestone_incubation_base", 2),
    ("milestone_rights_protection_center", 1),
    ("milestone_one_window_service", 1),
)
HUAINAN = "340400"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

INSTRUCTIONS = (
    "淮南市知识产权局 数据填报模板（ipbench template 生成）",
    "",
    "1. 在“年度数据”表中填写“数值”列：每行一个地区、一个指标、一个年份；数值只填数字，不带单位。",
    "   金额类指标（如专利权质押融资金额）单位为“元”；企业、园区数量单位为“家”或“个”。",
    "2. 在“里程碑”表中填写“已建成数量”、“完成日期”（日期格式，如 2023-06-30）和“状态”（下拉选择）。",
    "3. 不要修改“地区代码”“指标代码”列；如需增加地区或年份，复制整行后修改。",
    "4. 填好后将文件放入数据目录下的 inbox 文件夹，下一次刷新时自动导入（数据层级 office）。",
    "   有问题的单元格会逐个列出原因，其余单元格照常导入。",
)


@dataclass(frozen=True)
class TemplateSpec:
    years: tuple[int, ...]
    region_codes: tuple[str, ...] = (HUAINAN,)


def default_years(today: dt.date | None = None) -> tuple[int, ...]:
    today = today or dt.date.today()
    return tuple(range(2019, today.year + 1))


def write_template(path: Path, spec: TemplateSpec | None = None) -> Path:
    """Write the template workbook to ``path`` and return it."""
    spec = spec or TemplateSpec(years=default_years())
    known = indicators()
    region_table = regions()
    workbook = Workbook()
    readme = workbook.active
    readme.title = README_SHEET
    for line in INSTRUCTIONS:
        readme.append([line])
    readme.column_dimensions["A"].width = 100

    figures = workbook.create_sheet(FIGURES_SHEET)
    _header(figures, FIGURE_COLUMNS, widths=(10, 10, 28, 30, 8, 14, 8, 30))
    for code in spec.region_codes:
        for indicator in OFFICE_FIGURES:
            for year in spec.years:
                figures.append(
                    [
                        code,
                        region_table[code].name,
                        indicator,
                        known[indicator].name_zh,
                        year,
                        None,
                        known[indicator].unit,
                        None,
                    ]
                )

    milestones = workbook.create_sheet(MILESTONES_SHEET)
    _header(milestones, MILESTONE_COLUMNS, widths=(10, 10, 34, 30, 10, 12, 14, 10, 30))
    for code in spec.region_codes:
        for indicator, required in MILESTONES:
            milestones.append(
                [
                    code,
                    region_table[code].name,
                    indicator,
                    known[indicator].name_zh,
                    required,
                    None,
                    None,
                    None,
                    None,
                ]
            )
    status_list = DataValidation(
        type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True
    )
    milestones.add_data_validation(status_list)
    status_list.add(f"H2:H{milestones.max_row + 50}")
    for row in milestones.iter_rows(min_row=2, min_col=7, max_col=7):
        row[0].number_format = "yyyy-mm-dd"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _header(sheet, columns: tuple[str, ...], widths: tuple[int, ...]) -> None:
    sheet.append(list(columns))
    for cell, width in zip(sheet[1], widths, strict=True):
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
