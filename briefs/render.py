"""The brief as files: a single-file HTML (charts embedded, print stylesheet, every scraped text
escaped), a PDF rendered from that HTML by WeasyPrint, and a DOCX in the style of a Chinese
government document (GB/T 9704-like: document number, red rule, 方正小标宋/仿宋-style fonts with
fallbacks, headings 一、（一）, table header rows repeated across pages, A4 margins).
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from docx import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from jinja2 import Environment, PackageLoader, select_autoescape

from briefs.model import AREA_TITLES, CN_NUMBERS, STATUS_WORDS, Brief, fmt, heading
from sources.reference import indicators

MILESTONES = (
    "milestone_patent_navigation_base",
    "milestone_tech_transfer_center",
    "milestone_incubation_base",
    "milestone_rights_protection_center",
    "milestone_one_window_service",
)
TITLE_FONTS = ("方正小标宋简体", "Noto Serif CJK SC")
BODY_FONTS = ("仿宋_GB2312", "Noto Serif CJK SC")
HEADING_FONTS = ("黑体", "Noto Sans CJK SC")


def milestone_table(brief: Brief) -> list[tuple[str, dict | None]]:
    """Every milestone of the plan, with the office's latest entry or ``None`` (no data)."""
    latest: dict[str, dict] = {}
    for row in brief.milestones:
        latest[row["indicator"]] = row
    return [(indicators()[m].name_zh, latest.get(m)) for m in MILESTONES]


def render_html(brief: Brief) -> str:
    env = Environment(
        loader=PackageLoader("briefs", "templates"), autoescape=select_autoescape(["html", "j2"])
    )
    template = env.get_template("brief.html.j2")
    return template.render(
        brief=brief,
        charts={k: base64.b64encode(v).decode("ascii") for k, v in brief.charts.items()},
        cn=CN_NUMBERS,
        area_titles=AREA_TITLES,
        status_words=STATUS_WORDS,
        fmt=fmt,
        milestones=milestone_table(brief),
    )


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


# --- DOCX -----------------------------------------------------------------------------------


def _font(run, names: tuple[str, ...], size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = names[-1]
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), names[0])
    fonts.set(qn("w:hint"), "eastAsia")


def _paragraph(doc, text: str, fonts=BODY_FONTS, size=16.0, *, bold=False, align=None, colour=None):
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    _font(run, fonts, size, bold)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.line_spacing = Pt(28)
    return paragraph


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEADING_FONTS, 9, bold=True)
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), BODY_FONTS, 9)


def _watermark(doc, text: str) -> None:
    """示例数据 in every page's header, so that no page of a sample brief can pass as real."""
    for section in doc.sections:
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(f"{text}（含虚构示例数值，不得作为决策依据）")
        _font(run, HEADING_FONTS, 12, bold=True)
        run.font.color.rgb = RGBColor(0xCF, 0x22, 0x2E)


def render_docx(brief: Brief) -> bytes:
    doc = DocxDocument()
    for section in doc.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    if brief.watermark:
        _watermark(doc, brief.watermark)
    _paragraph(doc, brief.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "━" * 24, size=10, align=WD_ALIGN_PARAGRAPH.CENTER, colour="CC0000")
    _paragraph(doc, brief.title, TITLE_FONTS, 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    if brief.uses_sample:
        _paragraph(doc, brief.notes[0], BODY_FONTS, 12, colour="CF222E")
    _paragraph(doc, heading(1, 1, "总体情况"), HEADING_FONTS, 16)
    for line in brief.headline:
        _paragraph(doc, line)
    if "gap" in brief.charts:
        doc.add_picture(io.BytesIO(brief.charts["gap"]), width=Cm(15.5))
    _paragraph(doc, heading(1, 2, "分领域对标"), HEADING_FONTS, 16)
    for n, (area, lines) in enumerate(brief.areas.items(), start=1):
        _paragraph(doc, heading(2, n, AREA_TITLES[area]), BODY_FONTS, 16, bold=True)
        _table(
            doc,
            [
                "指标",
                f"{brief.year}年数值",
                "对标值",
                "差距",
                "指数",
                "皖16市",
                "长三角41市",
                "趋势",
                "目标进展",
            ],
            [
                [
                    x.name,
                    fmt(x.value, x.unit),
                    fmt(x.benchmark, x.unit),
                    fmt(x.gap, x.unit),
                    f"{x.index:.0f}（{x.band}）" if x.index is not None else "—",
                    x.rank_anhui,
                    x.rank_yrd,
                    x.trend,
                    x.target or "—",
                ]
                for x in lines
            ],
        )
    for name, png in brief.charts.items():
        if name != "gap":
            doc.add_picture(io.BytesIO(png), width=Cm(14))
    _paragraph(doc, heading(1, 3, "目标进展"), HEADING_FONTS, 16)
    if brief.targets:
        _table(
            doc,
            ["目标", "基期", "目标值", "最新值", "状态"],
            [
                [
                    str(t.get("target_id")),
                    f"{t.get('baseline_year')}：{fmt(t.get('baseline_value'))}",
                    f"{t.get('target_year')}：{fmt(t.get('target_value'))}",
                    fmt(t.get("latest_value")),
                    STATUS_WORDS.get(str(t.get("status")), str(t.get("status"))),
                ]
                for t in brief.targets
            ],
        )
    else:
        _paragraph(doc, "暂无目标跟踪数据。")
    _paragraph(doc, heading(1, 4, "里程碑事项"), HEADING_FONTS, 16)
    _table(
        doc,
        ["事项", "情况", "来源"],
        [
            [
                name,
                f"{fmt(row['value'])}（{row['period_end']}）" if row else "暂无数据",
                row["tier"] if row else "—",
            ]
            for name, row in milestone_table(brief)
        ],
    )
    _paragraph(doc, heading(1, 5, "数据说明"), HEADING_FONTS, 16)
    for n, note in enumerate(brief.notes, start=1):
        _paragraph(doc, f"{n}. {note}", size=12)
    _table(
        doc,
        ["指标", "数值", "等级", "发布机构", "文件", "发布日期"],
        [
            [
                f"{s['name_zh']}（{s['period_end']}）",
                fmt(s["value"], s["unit"]),
                s["tier"],
                s["publisher"],
                f"{s.get('title') or ''} {s.get('url') or ''}".strip(),
                str(s.get("published_on") or "—"),
            ]
            for s in brief.sources
        ],
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write(brief: Brief, out_dir: Path, formats: tuple[str, ...]) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"huainan-brief-{brief.year}-{brief.peer_label}"
    written = []
    html = render_html(brief) if {"html", "pdf"} & set(formats) else ""
    for kind in formats:
        path = out_dir / f"{stem}.{kind}"
        if kind == "html":
            path.write_text(html, encoding="utf-8")
        elif kind == "pdf":
            path.write_bytes(render_pdf(html))
        elif kind == "docx":
            path.write_bytes(render_docx(brief))
        written.append(path)
    return written
