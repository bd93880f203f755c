"""Exported HTML opened in headless Chromium: it must load offline, with no console error.

The audit record is exported to HTML with nbconvert. nbconvert's ``lab`` template links
require.js, MathJax and Mermaid from CDNs; offline those fail and the browser logs errors. The
first test exports a small executed notebook with a template that extends ``lab`` and leaves
those scripts out (the exported page needs none of them: tables and images are inline), and
checks the page loads without an error or an external request. The second opens the audit
report (``build/audit/report.html``) when ``idrename.report`` exists and the report was made.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "build" / "audit" / "report.html"

OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""

CELLS = [
    ("markdown", "# Decisions by section\n\nA small record: a table and a chart."),
    ("code", "import pandas as pd\n"
             "frame = pd.DataFrame({'section': ['1 webchat core', '2 lookup adapters'],\n"
             "                      'rename': [12, 7], 'keep': [1, 0]})\n"
             "frame"),
    ("code", "import matplotlib.pyplot as plt\n"
             "fig, ax = plt.subplots(figsize=(4, 2))\n"
             "ax.bar(frame['section'], frame['rename'])\n"
             "plt.show()"),
]


def offline_exporter(tmp_path: Path) -> HTMLExporter:
    """nbconvert's lab HTML, without the CDN scripts (a template that extends ``lab``)."""
    folder = tmp_path / "templates" / "offline"
    folder.mkdir(parents=True)
    (folder / "index.html.j2").write_text(OFFLINE_TEMPLATE)
    (folder / "conf.json").write_text(json.dumps({"base_template": "lab",
                                                  "mimetypes": {"text/html": True}}))
    return HTMLExporter(template_name="offline", extra_template_basedirs=[str(folder.parent)],
                        embed_images=True)


def executed_notebook(tmp_path: Path) -> Any:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    for kind, source in CELLS:
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        nb.cells.append(make(source))
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    return nb


def test_exported_notebook_html_loads_offline_without_errors(new_page: Any,
                                                             tmp_path: Path) -> None:
    from playwright.sync_api import expect

    nb = executed_notebook(tmp_path)
    body, _ = offline_exporter(tmp_path).from_notebook_node(nb)
    assert "cdnjs.cloudflare.com" not in body and "require.min.js" not in body
    page_file = tmp_path / "record.html"
    page_file.write_text(body, encoding="utf-8")

    page, seen = new_page()
    page.goto(page_file.as_uri(), wait_until="load")
    expect(page.locator("h1")).to_contain_text("Decisions by section")
    expect(page.locator("table.dataframe")).to_contain_text("2 lookup adapters")
    image = page.locator("img[src^='data:image/png']")
    expect(image).to_have_count(1)
    assert image.evaluate("img => img.naturalWidth") > 0
    page.screenshot(path=str(tmp_path / "record.png"), full_page=True)
    assert seen.problems() == []


def test_audit_report_loads_without_errors(new_page: Any) -> None:
    if importlib.util.find_spec("idrename.report") is None:
        pytest.skip("idrename.report is not there yet: no audit report to open")
    if not REPORT.exists():
        pytest.skip(f"{REPORT.relative_to(ROOT)} is missing: run `make demo` to write it")
    page, seen = new_page()
    page.goto(REPORT.as_uri(), wait_until="load")
    page.wait_for_timeout(500)
    assert seen.problems() == []
