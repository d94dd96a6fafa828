"""The pages in a real headless browser (Debian's chromium, driven by chromedriver through Selenium).

It loads the home page, an entity page and the query page, runs a stored query from the form and one from
the editor (an example loaded, the table sorted and paged), opens /docs, and checks what is rendered, and
that every resource a page loads comes from the service. Each page listed in PAGES is opened at 1280 and
390 px: it must fit the screen (the home matrix scrolls in its own region on a phone), its header must not
overflow, and axe-core (from the axe-core-python wheel, a test dependency) must find no WCAG 2.1 A or AA
violation. The browser's
proxy is a loopback listener, so its own background calls (updates, autofill) never leave the machine;
that the service itself calls nothing is proved by the canary of test_serve_process. Set
RCPGRAPH_SCREENSHOTS=docs/screenshots to refresh the README's screenshots (PAGE-WIDTH.png) (by default they go to a
temporary folder).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
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
AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page", list(PAGES))
def test_pages_fit_the_screen_and_pass_the_accessibility_audit(
    browser: webdriver.Chrome, server: str, shots: Path, page: str, width: int
) -> None:
    from axe_core_python.selenium import Axe

    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
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
        browser.save_screenshot(str(shots / f"{page}-{width}.png"))
        violations = Axe().run(browser, options=AA)["violations"]
        found = [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3]) for v in violations]
        assert found == []
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
