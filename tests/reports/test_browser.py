"""The HTML report in a real browser: headless Chromium loads it, decodes every plot, shows
the tables, and paints the page.

Needs the Chromium binary (Debian/Ubuntu package ``chromium``; another path can be given in
the environment variable ``POSTMINE_CHROMIUM``). Without it the tests skip, except when the
environment variable ``CI`` is set: there a missing browser is a failure.

The check runs in the page: a copy of the report gets a small script that, in the ``load``
event (which waits for every image), writes what it finds (each ``<img>``'s naturalWidth and
naturalHeight -- 0 when the image did not decode --, the tables and their captions) as JSON
into a ``<pre>``; Chromium's ``--dump-dom`` prints the DOM after that. The report itself has
no script.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from postmine.project.model import ProjectResult
from postmine.reports import write_report

pytestmark = pytest.mark.browser

BROWSER_TIMEOUT_S = 90
PLOT_WIDTH_PX, PLOT_HEIGHT_PX = 800, 450
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]

CHECK_SCRIPT = """<script>
window.addEventListener("load", () => {
  // Runs in the load event, which waits for every image: by then an image that did not
  // decode is complete with naturalWidth 0. Synchronous, so it ends before --dump-dom.
  const images = Array.from(document.images);
  const out = document.createElement("pre");
  out.id = "postmine-check";
  out.textContent = JSON.stringify({
    images: images.map((i) => ({
      alt: i.alt, complete: i.complete, width: i.naturalWidth, height: i.naturalHeight,
    })),
    tables: document.querySelectorAll("table").length,
    dataTables: Array.from(document.querySelectorAll("table.data")).map((t) => t.id),
    captions: Array.from(document.querySelectorAll("caption")).map((c) => c.textContent),
    findings: document.querySelectorAll("table.findings tbody tr").length,
    title: document.title,
  });
  document.body.appendChild(out);
});
</script>"""


@pytest.fixture(scope="module")
def chromium() -> str:
    path = os.environ.get("POSTMINE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        reason = (
            f"Chromium not found (looked for $POSTMINE_CHROMIUM, 'chromium' on PATH, {path}); "
            "install the Debian package 'chromium' to run the browser tests"
        )
        if os.environ.get("CI"):
            pytest.fail(reason + " -- CI is set, so a missing browser is a failure")
        pytest.skip(reason)
    return path


def _run(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=BROWSER_TIMEOUT_S,
        check=False,
    )


def _check_in_browser(chromium: str, page: Path, tmp_path: Path) -> dict[str, Any]:
    """Open a copy of ``page`` with the check script; return what the script found."""
    checked = page.with_name("checked.html")
    source = page.read_text(encoding="utf-8")
    assert source.count("</body>") == 1
    checked.write_text(source.replace("</body>", CHECK_SCRIPT + "</body>"), encoding="utf-8")
    done = _run(
        chromium,
        tmp_path / "profile-dom",
        "--virtual-time-budget=15000",
        "--dump-dom",
        checked.as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    match = re.search(r'<pre id="postmine-check">(.*?)</pre>', done.stdout, flags=re.S)
    assert match is not None, "the check script did not run; DOM starts: " + done.stdout[:500]
    found: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return found


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_report_loads_with_decoded_plots_and_tables(
    chromium: str, tmp_path: Path, lang: str, project_result: ProjectResult
) -> None:
    result = project_result
    page, _ = write_report(result, tmp_path / "report", lang=lang)
    found = _check_in_browser(chromium, page, tmp_path)

    assert found["title"] == result.meta["name"]
    assert len(found["images"]) == 5
    for image in found["images"]:
        assert image["complete"], image
        assert (image["width"], image["height"]) == (PLOT_WIDTH_PX, PLOT_HEIGHT_PX), image
    assert found["dataTables"] == [f"table-{t.key}" for t in _report_order(result)]
    for table in result.tables:
        assert any(table.title[lang] in caption for caption in found["captions"])
    assert found["findings"] == len(result.findings)


def _report_order(result: ProjectResult) -> list[Any]:
    """The tables in the order of 003's sections, as the report places them."""
    from postmine.reports.i18n import SECTIONS, section_of

    rank = {number: i for i, number in enumerate(SECTIONS)}
    return sorted(
        result.tables,
        key=lambda t: rank[section_of(t.key, t.source).number or "other"],
    )


def test_a_broken_image_is_detected(chromium: str, tmp_path: Path) -> None:
    # The check itself must be able to fail: a PNG whose data is cut short does not decode.
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head><body>'
        '<img alt="cut" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA">'
        "<table><caption>t</caption></table></body></html>",
        encoding="utf-8",
    )
    found = _check_in_browser(chromium, page, tmp_path)
    (image,) = found["images"]
    assert image["complete"]
    assert image["width"] == 0


def test_report_paints_a_page(chromium: str, tmp_path: Path, project_result: ProjectResult) -> None:
    page, _ = write_report(project_result, tmp_path / "report", lang="ru")
    shot = tmp_path / "page.png"
    done = _run(
        chromium,
        tmp_path / "profile-shot",
        "--window-size=1280,4000",
        f"--screenshot={shot}",
        page.as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    image = Image.open(io.BytesIO(shot.read_bytes())).convert("L")
    assert image.size == (1280, 4000)
    low, high = image.getextrema()
    assert low < 64 and high > 200  # dark text on a light page, not a blank screen
    histogram = image.histogram()
    dark_share = sum(histogram[:128]) / (image.size[0] * image.size[1])
    assert 0.005 < dark_share < 0.5
