"""The pages in a real headless browser (Debian's chromium, driven by chromedriver through Selenium).

It loads the home page, an entity page and the query page, runs a stored query from the form and one from
the editor (an example loaded, the table sorted and paged), runs the network, the timeline and a count from the
editor and sees each drawn (counted against the stored query's answer), opens /docs, and checks what is
rendered, and that every resource a page loads comes from the service. Each page listed in PAGES is opened at 1280 and
390 px: it must fit the screen (the home matrix scrolls in its own region on a phone), its header must not
overflow, and axe-core (from the axe-core-python wheel, a test dependency) must find no WCAG 2.1 A or AA
violation; a picture fits a desktop and keeps its drawn size on a phone, scrolling sideways in its own
region so its labels stay readable. The browser's
proxy is a loopback listener, so its own background calls (updates, autofill) never leave the machine;
that the service itself calls nothing is proved by the canary of test_serve_process. Set
RCPGRAPH_SCREENSHOTS=docs/screenshots to refresh the README's screenshots (PAGE-WIDTH.png) (by default they go to a
temporary folder).
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from live import Canary, serving

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-default-browser-check",
    "--no-pings",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--dns-prefetch-disable",
)

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    if os.environ.get("CI"):
        pytest.fail("chromium and chromium-driver must be installed in CI (.ci/run installs them)", pytrace=False)
    pytest.skip(
        "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def server(canary: Canary) -> Iterator[str]:
    with serving(canary.url) as base:
        yield base


@pytest.fixture(scope="module")
def browser(canary: Canary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium')}")
    options.add_experimental_option("prefs", {"net.network_prediction_options": 2})  # no preconnect to search engines
    # loopback is reached directly, anything else goes to the listener
    options.add_argument(f"--proxy-server={canary.url}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("RCPGRAPH_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def screen(browser: webdriver.Chrome, width: int, height: int = 900) -> Iterator[None]:
    """The browser's screen `width` by `height` px (a phone below 500 wide) while the block runs."""
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        yield
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def stored(server: str, name: str, accept: str) -> bytes:
    """The answer of stored query `name` from the service, straight (no proxy: it is on loopback)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(f"{server}/api/queries/{name}", headers={"Accept": accept})
    with opener.open(request, timeout=30) as response:
        return response.read()


def bindings(server: str, name: str) -> list[dict[str, str]]:
    """The rows of stored query `name`'s answer, each variable's value."""
    answer = json.loads(stored(server, name, "application/sparql-results+json"))
    return [{key: term["value"] for key, term in row.items()} for row in answer["results"]["bindings"]]


def run_example(browser: webdriver.Chrome, server: str, name: str) -> WebElement:
    """Load stored query `name` into the editor as an example, run it unchanged, and wait for its picture."""
    browser.get(server + "/query")
    Select(browser.find_element(By.ID, "example")).select_by_value(name)
    browser.find_element(By.ID, "run-sparql").click()
    return WebDriverWait(browser, 30).until(lambda b: b.find_element(By.CSS_SELECTOR, "#result-picture figure"))


def local(address: str) -> str:
    """What an address names below /id/ (an IRI and the service's page of it give the same)."""
    return address.split("/id/", 1)[1]


def svg_links(browser: webdriver.Chrome, figure: WebElement) -> list[str]:
    """Where the links of a figure's SVG point."""
    script = "return Array.from(arguments[0].querySelectorAll('svg a')).map(a => a.getAttribute('href'))"
    return browser.execute_script(script, figure)


def loaded_from(browser: webdriver.Chrome) -> set[str]:
    """The origins of every resource the page loaded."""
    names = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return {"/".join(name.split("/")[:3]) for name in names}


def test_home_page(browser: webdriver.Chrome, server: str) -> None:
    browser.get(server + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Regional Consultative Processes on migration"
    rows = browser.find_elements(By.CSS_SELECTOR, "#matrix tbody th[scope=row]")
    assert len(rows) == 12 and rows[0].text.startswith("Migration Dialogue for Southern Africa")
    colour = browser.find_element(By.CSS_SELECTOR, "td.status-answered").value_of_css_property("background-color")
    assert colour == "rgba(207, 232, 213, 1)"  # the local stylesheet applied
    link = browser.find_element(By.CSS_SELECTOR, "td.status-answered a")
    assert link.value_of_css_property("text-decoration-line") == "underline"  # status cells look like links
    assert loaded_from(browser) == {server}


def test_entity_page(browser: webdriver.Chrome, server: str) -> None:
    browser.get(server + "/id/document/quito-declaration-2002")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Quito Declaration"
    mark = browser.find_element(By.CSS_SELECTOR, ".corrected mark")
    assert mark.text.startswith("2002 Quito Declaration requested aid")
    assert "remitlances" in browser.find_element(By.CSS_SELECTOR, ".verbatim").text
    browser.find_element(By.LINK_TEXT, "South American Conference on Migration").click()
    sacm = "South American Conference on Migration"
    WebDriverWait(browser, 10).until(lambda b: b.find_element(By.TAG_NAME, "h1").text == sacm)
    browser.get(server + "/id/document/quito-declaration-2002")
    assert loaded_from(browser) == {server}


def test_query_page_runs_a_stored_query(browser: webdriver.Chrome, server: str) -> None:
    browser.get(server + "/query")
    Select(browser.find_element(By.ID, "name")).select_by_value("cell")
    browser.find_element(By.ID, "pick").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, "param-process"))
    Select(browser.find_element(By.ID, "param-process")).select_by_value("sacm")
    Select(browser.find_element(By.ID, "param-dimension")).select_by_value("founding-documents")
    browser.find_element(By.ID, "run").click()
    table = WebDriverWait(browser, 20).until(lambda b: b.find_element(By.CSS_SELECTOR, "#result table.result"))
    headers = [th.text for th in table.find_elements(By.TAG_NAME, "th")]
    assert headers[:4] == ["response", "status", "assignment", "sourceText"]
    assert "answered" in table.text and "Quito Declaration" in table.text
    assert browser.find_element(By.CSS_SELECTOR, "#result .count").text == "1 row"
    assert loaded_from(browser) == {server}


def test_query_editor_loads_an_example_runs_it_and_sorts_and_pages_the_table(
    browser: webdriver.Chrome, server: str
) -> None:
    browser.get(server + "/query")
    assert browser.find_element(By.CSS_SELECTOR, "#adhoc .CodeMirror")  # the editor replaced the plain text area
    Select(browser.find_element(By.ID, "example")).select_by_value("places")
    text = browser.execute_script("return document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert (
        text
        == browser.execute_script("return JSON.parse(document.getElementById('query-data').textContent)")["examples"][
            "places"
        ]
    )
    assert browser.find_elements(By.CSS_SELECTOR, ".CodeMirror .cm-keyword")  # highlighted
    browser.find_element(By.ID, "run-sparql").click()
    table = WebDriverWait(browser, 20).until(lambda b: b.find_element(By.ID, "result-table"))
    total = int(browser.find_element(By.CSS_SELECTOR, "#result .count").text.split()[0])
    assert total > 25 and len(table.find_elements(By.CSS_SELECTOR, "tbody tr")) == 25
    assert browser.find_element(By.CSS_SELECTOR, "#result .pager span").text == f"Rows 1–25 of {total}"
    first = table.find_element(By.CSS_SELECTOR, "thead th")
    first.find_element(By.CSS_SELECTOR, "button.sort").click()
    assert first.get_attribute("aria-sort") == "ascending"
    column = [row.text for row in table.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child")]
    first.find_element(By.CSS_SELECTOR, "button.sort").click()
    assert first.get_attribute("aria-sort") == "descending"
    assert [row.text for row in table.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child")] != column
    assert browser.find_element(By.ID, "share").get_attribute("href").startswith(server + "/query?sparql=")
    assert loaded_from(browser) == {server}


@pytest.mark.parametrize("width", [1280, 390])
def test_query_editor_runs_the_network_example_and_sees_a_graph(
    browser: webdriver.Chrome, server: str, shots: Path, width: int
) -> None:
    with screen(browser, width, 1100):
        figure = run_example(browser, server, "cross-fertilization-network")
        assert figure.find_element(By.TAG_NAME, "svg").is_displayed()
        triples = stored(server, "cross-fertilization-network", "application/n-triples").decode("utf-8")
        kind = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/rcpgraph/ontology#CrossFertilizationLink>"
        links = sorted(local(line.split()[0].strip("<>")) for line in triples.splitlines() if kind in line)
        assert len(links) == 28
        assert sorted(href for href in map(local, svg_links(browser, figure)) if href.startswith("link/")) == links
        browser.execute_script("arguments[0].scrollIntoView()", figure)
        figure.screenshot(str(shots / f"network-{width}.png"))
    assert loaded_from(browser) == {server}


def test_query_editor_shows_the_timeline_as_a_timeline(browser: webdriver.Chrome, server: str) -> None:
    figure = run_example(browser, server, "timeline")
    answer = bindings(server, "timeline")
    assert len(answer) == 43
    marks = set(map(local, svg_links(browser, figure))) - {local(row["process"]) for row in answer if "process" in row}
    assert marks == {local(row["individual"]) for row in answer}
    assert figure.find_element(By.CSS_SELECTOR, "svg title").get_attribute("textContent").startswith("Timeline of")


def test_query_editor_shows_a_count_as_bars(browser: webdriver.Chrome, server: str) -> None:
    figure = run_example(browser, server, "status-counts")
    script = "return Array.from(arguments[0].querySelectorAll('svg g > title')).map(t => t.textContent)"
    bars = [f"{row['label']}: {row['cells']}" for row in bindings(server, "status-counts")]
    assert bars == ["answered: 44", "blank: 16", "no response given: 16", "no example provided: 12", "fragment: 8"]
    assert browser.execute_script(script, figure) == bars


def test_docs_show_the_openapi_document(browser: webdriver.Chrome, server: str) -> None:
    browser.get(server + "/")
    browser.find_element(By.LINK_TEXT, "API").click()
    WebDriverWait(browser, 20).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#swagger-ui .opblock"))
    operations = browser.find_elements(By.CSS_SELECTOR, "#swagger-ui .opblock-summary-path")
    paths = {operation.get_attribute("data-path") for operation in operations}
    assert "/api/queries/cell" in paths and "/sparql" in paths
    assert not browser.find_element(By.ID, "docs-fallback").is_displayed()
    assert loaded_from(browser) == {server}


PAGES = {
    "home": "/",
    "process": "/id/process/puebla-process",
    "cell": "/id/response/sacm/founding-documents",
    "query": "/query?name=status-by-dimension&run=1&dimension=research&status=answered",
    "docs": "/docs",
    "search": "/search?q=colombo",
    "listing": "/id/process/",
    "ontology": "/ontology",
}
# Each picture on a page: its name, whether it is shown at its drawn size, and whether its region scrolls sideways.
SCALES = """return Array.from(document.querySelectorAll('figure.picture')).map(f => {
  const svg = f.querySelector('svg'), region = f.querySelector('.scroll');
  return [f.className.replace('picture picture-', ''),
          Math.round(svg.getBoundingClientRect().width) === svg.width.baseVal.value,
          region.scrollWidth > region.clientWidth];
})"""
# A desktop shows the pictures whole (at their drawn size when they fit); a phone keeps the drawn size and scrolls.
PICTURES = {
    "home": {1280: [["network", True, False]], 390: [["network", True, True]]},
    "process": {
        1280: [["network", True, False], ["timeline", True, False]],
        390: [["network", True, True], ["timeline", True, True]],
    },
}
AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page", list(PAGES))
def test_pages_fit_the_screen_and_pass_the_accessibility_audit(
    browser: webdriver.Chrome, server: str, shots: Path, page: str, width: int
) -> None:
    from axe_core_python.selenium import Axe

    with screen(browser, width):
        browser.get(server + PAGES[page])
        if page == "docs":
            WebDriverWait(browser, 20).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#swagger-ui .opblock"))
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{page} is {overflow} px wider than the screen"
        header = browser.find_element(By.CSS_SELECTOR, "header.site")
        assert header.size["width"] <= width and browser.execute_script(
            "return arguments[0].scrollWidth <= arguments[0].clientWidth", header
        )
        if page == "home":  # the matrix scrolls inside its own region on a phone, and fits a desktop
            scrolls = "const m = document.querySelector('.matrix-scroll'); return m.scrollWidth > m.clientWidth"
            assert browser.execute_script(scrolls) is (width < 500)
        assert browser.execute_script(SCALES) == PICTURES.get(page, {}).get(width, [])
        browser.save_screenshot(str(shots / f"{page}-{width}.png"))
        violations = Axe().run(browser, options=AA)["violations"]
        found = [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3]) for v in violations]
        assert found == []
