"""The provenance explorer, driven in headless Chromium from a server on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import io
import json
import shutil
import threading
from collections.abc import Iterator

import pytest
from conftest import ROOT, published

import sinopak

CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "build" / "screenshots"


def test_explorer_is_self_contained() -> None:
    html = (ROOT / "dist" / "explorer.html").read_text()
    # The schema.org JSON-LD block names URLs (licence, homepage) as data; nothing loads them.
    head, block = html.split('<script type="application/ld+json">', 1)
    html = head + block.split("</script>", 1)[1]
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html and "<link" not in html and " src=" not in html
    assert "default-src 'none'" in html  # the page may not fetch anything at all


def test_explorer_data_is_canonical_json_of_every_record_and_span() -> None:
    html = (ROOT / "dist" / "explorer.html").read_text(encoding="utf-8")
    block = html.split('<script type="application/json" id="data">', 1)[1].split("</script>")[0]
    text = block.replace("<\\/", "</")  # escaped so that no "</script>" ends the block early
    data = json.loads(text)
    # written by orjson: the same text as the standard library's sorted, compact form
    assert text == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert len(data["evidence"]) == len(sinopak.load("evidence"))
    assert data["records"]["ent.nepal"]["table"] == "entities"


# The sentence as the template wrote it before `_sentence` made it (what autoescaping makes).
SENTENCE = (
    '<span class="sent{% if s.kind == \'heading\' %} heading{% endif %}" id="{{ s.id }}" '
    'data-sid="{{ s.id }}" title="{{ s.id }}: {{ s.count }} record(s)">{% for p in s.pieces %}'
    '{% if p.ids %}<span class="ev{% if p.tone %} {{ p.tone }}{% endif %}" data-ev="{{ p.ids }}">'
    "{{ p.text }}</span>{% else %}{{ p.text }}{% endif %}{% endfor %}</span>"
)


@pytest.mark.parametrize("kind", ["sentence", "heading"])
def test_a_sentence_is_the_html_the_template_made(kind: str) -> None:
    import jinja2

    from sinopak.pipeline.explorer import _segments, _sentence

    text = 'He said: "5 < 6 & 7 > 3" — it\'s <b>bold</b>; a\u2028b'
    spans = [(0, 7, "r1#1"), (3, 20, "r2#1"), (9, 30, "r3#<1>"), (40, len(text), "r4#1")]
    tone = {"r1": "hedged", "r2": "editorial", "r3": "hedged", "r4": "asserted"}
    record_of = {ev: ev.split("#")[0] for _, _, ev in spans}
    sid = 'doc.s001"<&>'
    pieces = _segments(text, 0, len(text), spans)
    made = _sentence(sid, kind, 3, pieces, tone, record_of)
    for p in pieces:  # what the template was given
        here = {record_of[i] for i in p["ids"].split()}
        p["tone"] = " ".join(sorted({str(tone[r]) for r in here if r in tone}))
    view = {"id": sid, "kind": kind, "pieces": pieces, "count": 3}
    expected = jinja2.Environment(autoescape=True).from_string(SENTENCE).render(s=view)
    assert str(made) == expected
    assert "ev editorial hedged" in expected and "&lt;b&gt;" in expected  # both cases met


def test_explorer_data_block_whatever_the_texts_hold() -> None:
    from sinopak.pipeline.explorer import write_explorer

    rows, texts = published()
    odd = "\x00payload\x00 </script> \x00payload\x00"
    rows["events"][0]["label"] += odd
    page = io.StringIO()
    write_explorer(page, sinopak.datapackage(), rows, texts)
    html = page.getvalue()
    assert html.count('<script type="application/json" id="data">') == 1
    block = html.split('<script type="application/json" id="data">', 1)[1].split("</script>")[0]
    data = json.loads(block.replace("<\\/", "</"))
    event = rows["events"][0]["event_id"]
    assert data["records"][event]["fields"]["label"].endswith(odd)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def page_url() -> Iterator[str]:
    handler = functools.partial(Quiet, directory=str(ROOT / "dist"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/explorer.html"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if shutil.which(CHROMIUM) is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: object, page_url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.errors, pg.requests = [], []  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.errors.append(m.text))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.goto(page_url)
    yield pg
    context.close()


def test_select_record_highlights_its_quote(page: object, page_url: str) -> None:
    pg = page
    pg.click('#records button[data-record="evt.wei-alvi-khan-meeting"]')  # type: ignore[attr-defined]
    active = pg.locator("#doc-d3da3a035377400c .ev.active").all_inner_texts()  # type: ignore[attr-defined]
    quote = sinopak.evidence("evt.wei-alvi-khan-meeting")[0]["quote"]
    assert "".join(active) == quote
    assert "evt.wei-alvi-khan-meeting (events)" in pg.inner_text("#detail-title")  # type: ignore[attr-defined]
    assert "2020-12-01" in pg.inner_text("#detail")  # type: ignore[attr-defined]
    assert pg.errors == []  # type: ignore[attr-defined]
    assert pg.requests == [page_url]  # type: ignore[attr-defined]


def test_select_sentence_lists_citing_records(page: object) -> None:
    pg = page
    pg.click("#d3da3a035377400c\\.s012")  # type: ignore[attr-defined]
    listed = pg.locator("#citing button").evaluate_all(  # type: ignore[attr-defined]
        "els => els.map(e => e.dataset.record)"
    )
    assert listed == ["stm.s012-heading-provocation"]
    badge = pg.locator("#citing .badge.editorial")  # type: ignore[attr-defined]
    assert badge.inner_text() == "editorial"
    assert pg.errors == []  # type: ignore[attr-defined]


def test_select_event_highlights_its_evidence_in_every_document(page: object) -> None:
    pg = page
    event = "evt.wei-bajwa-talks"
    reports = [r for r in sinopak.load("reports") if r["event_id"] == event]
    assert reports, "the talks are reported by other documents"
    docs = {"d3da3a035377400c"} | {r["document_id"] for r in reports}
    pg.click(f'#records button[data-record="{event}"]')  # type: ignore[attr-defined]
    found = pg.locator(".ev.active").evaluate_all(  # type: ignore[attr-defined]
        "els => els.map(e => e.closest('.doc').id)"
    )
    assert set(found) == {f"doc-{d}" for d in docs}
    assert pg.locator(".doc").count() == len(sinopak.load("documents"))  # type: ignore[attr-defined]
    claims = [c for c in sinopak.load("date_claims") if c["event_id"] == event]
    drawn = pg.locator(f'rect.claim.active[data-claim-of="{event}"]')  # type: ignore[attr-defined]
    assert drawn.count() == len(claims) >= 2
    assert pg.errors == []  # type: ignore[attr-defined]


def test_filters_and_timeline(page: object) -> None:
    pg = page
    events = sinopak.load("events")
    shown = pg.locator('#records button[data-table="events"]').count()  # type: ignore[attr-defined]
    assert shown == len(events)
    pg.uncheck('input[value="events"]')  # type: ignore[attr-defined]
    assert pg.locator('#records button[data-table="events"]').count() == 0  # type: ignore[attr-defined]
    bars = pg.locator("rect.bar").count()  # type: ignore[attr-defined]
    earlier = pg.locator("button.earlier").count()  # type: ignore[attr-defined]
    assert earlier >= 1  # the 2011 drill is listed under "Earlier"
    assert bars + earlier == len([e for e in events if e["date_end"] is not None])
    discounted = [c for c in sinopak.load("date_claims") if c["status"] == "discounted"]
    assert pg.locator("rect.claim.discounted").count() == len(discounted)  # type: ignore[attr-defined]
    pg.click('rect.bar[data-record="evt.shaheen-ix"]')  # type: ignore[attr-defined]
    assert pg.locator('rect.bar.active[data-record="evt.shaheen-ix"]').count() == 1  # type: ignore[attr-defined]
    assert pg.locator(".ev.editorial").count() >= 2  # type: ignore[attr-defined]
    assert pg.locator(".ev.hedged").count() >= 2  # type: ignore[attr-defined]
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.check('input[value="events"]')  # type: ignore[attr-defined]
    pg.click('#records button[data-record="evt.wei-bajwa-talks"]')  # type: ignore[attr-defined]
    pg.evaluate("window.scrollTo(0, 0)")  # type: ignore[attr-defined]
    pg.screenshot(path=str(SHOTS / "explorer.png"), full_page=True)  # type: ignore[attr-defined]
    assert (SHOTS / "explorer.png").stat().st_size > 10_000
    assert pg.errors == []  # type: ignore[attr-defined]
