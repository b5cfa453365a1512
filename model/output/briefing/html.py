"""The briefing as one self-contained HTML file: fonts, CSS and charts inline, nothing fetched.

The page is print-ready on A4 (``@page`` rules, figures and table rows kept whole, table headers
repeated) and is what the PDF is printed from. Accessibility (WCAG 2.2 AA): ``lang="en-GB"``, a
title, landmarks (header, main, footer), headings in order, tables with captions and ``<th
scope>`` headers, every chart with alt text and a numbered caption, links that say where they go,
and text colours of at least 4.5:1 contrast.
"""

from __future__ import annotations

import base64
import re
from html import escape
from importlib import resources

from model import __version__
from model.output.briefing.content import Block, Code, Document, Figure, Heading, Items, Para, Table
from model.output.briefing.fonts import font_face_css

_URL = re.compile(r"https?://[^\s<>\"]+")
_TRAILING = ".,;:)]"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_NUM, _NOTE, _HASH = ' class="num"', ' class="note"', ' class="hash"'


def stylesheet() -> str:
    """The briefing's CSS (briefing.css beside this module)."""
    return resources.files("model.output.briefing").joinpath("briefing.css").read_text(encoding="utf-8")


def inline(text: str) -> str:
    """Text as HTML: escaped, with URLs as links and `backticked` words as code."""
    out = []
    for i, part in enumerate(text.split("`")):
        if i % 2:
            out.append(f"<code>{escape(part)}</code>")
        else:
            out.append(_links(part))
    return "".join(out)


def _links(text: str) -> str:
    out, at = [], 0
    for match in _URL.finditer(text):
        url = match.group(0)
        while url and url[-1] in _TRAILING:
            url = url[:-1]
        end = match.start() + len(url)
        out.append(escape(text[at:match.start()]))
        out.append(f'<a href="{escape(url, quote=True)}">{escape(url)}</a>')
        at = end
    out.append(escape(text[at:]))
    return "".join(out)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _breakable(text: str) -> str:
    """Escaped text that may wrap after an underscore (scenario names in narrow headers)."""
    return escape(text).replace("_", "_<wbr>")


def _table(table: Table) -> str:
    head = "".join(f'<th scope="col"{_NUM if numeric else ""}>{_breakable(cell)}</th>'
                   for cell, numeric in zip(table.header, table.numeric, strict=True))
    body = []
    for row in table.rows:
        cells = [f'<th scope="row">{inline(row[0])}</th>']
        for cell, numeric in zip(row[1:], table.numeric[1:], strict=True):
            if numeric:
                cells.append(f'<td class="num">{escape(cell)}</td>')
            else:
                cells.append(f"<td{_HASH if _SHA256.fullmatch(cell) else ''}>{inline(cell)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    notes = "".join(f"<p>{inline(note)}</p>" for note in table.notes)
    return (f'<table id="table-{table.number}"><caption><span class="label">Table {table.number}.</span> '
            f"{escape(table.caption)}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            + (f'<div class="table-notes">{notes}</div>' if notes else ""))


def _figure(figure: Figure) -> str:
    data = base64.b64encode(figure.chart.png).decode("ascii")
    width_px = round(figure.chart.width_mm / 25.4 * 96)
    height_px = round(figure.chart.height_mm / 25.4 * 96)
    return (f'<figure id="figure-{figure.number}"><img src="data:image/png;base64,{data}" '
            f'alt="{escape(figure.alt, quote=True)}" width="{width_px}" height="{height_px}">'
            f'<figcaption><span class="label">Figure {figure.number}.</span> {escape(figure.caption)}</figcaption>'
            "</figure>")


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        anchor = f' id="{escape(block.anchor, quote=True)}"' if block.anchor else ""
        return f"<h{block.level}{anchor}>{escape(block.text)}</h{block.level}>"
    if isinstance(block, Para):
        return f'<p{_NOTE if block.note else ""}>{inline(block.text)}</p>'
    if isinstance(block, Items):
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>{''.join(f'<li>{inline(item)}</li>' for item in block.items)}</{tag}>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return _figure(block)
    if isinstance(block, Code):
        return f"<pre><code>{escape(block.text)}</code></pre>"
    raise TypeError(f"no HTML for {type(block).__name__}")


def _sections(doc: Document) -> str:
    """The blocks, each level-2 heading opening a section labelled by it."""
    out: list[str] = []
    open_section = False
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 2:
            if open_section:
                out.append("</section>")
            css = f' class="{escape(block.anchor)}"' if block.anchor else ""
            out.append(f'<section{css} aria-labelledby="{escape(block.anchor, quote=True)}">')
            open_section = True
        out.append(_block(block))
    if open_section:
        out.append("</section>")
    return "\n".join(out)


def render(doc: Document, embed_fonts: bool = True) -> str:
    """The whole page. ``embed_fonts=False`` leaves the typeface to the reader's machine (smaller)."""
    facts = "".join(
        f"<dt>{escape(label)}</dt><dd{_HASH if label.startswith('Content sha256') else ''}>"
        f"{escape(value)}</dd>" for label, value in doc.facts)
    fonts = font_face_css(doc.text()) if embed_fonts else ""
    page = f"@page {{ @bottom-left {{ content: {_css_string(doc.footer)}; }} }}"
    description = doc.messages[0].text if doc.messages else doc.title
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(doc.title)}: {escape(doc.kicker.lower())}</title>
<meta name="author" content="ICB running-cost model {escape(__version__)}">
<meta name="generator" content="ICB running-cost model {escape(__version__)}">
<meta name="description" content="{escape(description, quote=True)}">
<meta name="keywords" content="ICB, running cost allowance, {escape(doc.place_code)}, {escape(doc.year)}">
<meta name="dcterms.created" content="{doc.created.isoformat()}">
<style>
{fonts}
{stylesheet()}
{page}
</style>
</head>
<body>
<header class="band">
<p class="kicker">{escape(doc.kicker)}</p>
<h1>{escape(doc.title)}</h1>
<dl class="facts">{facts}</dl>
</header>
<main>
{_sections(doc)}
</main>
<footer class="end"><p>{escape(doc.footer)}. Made on {doc.created.day} {doc.created:%B %Y} from the scenarios and
files listed above; every figure is in results.csv.</p></footer>
</body>
</html>
"""
