"""The pages in a real headless browser (Debian's chromium, driven by chromedriver through Selenium).

It loads the home page, an entity page and the query page, runs a stored query from the form, and
checks what is rendered, and that every resource a page loads comes from the service. The browser's
proxy is a loopback listener, so its own background calls (updates, autofill) never leave the machine;
that the service itself calls nothing is proved by the canary of test_serve_process. Set
RCPGRAPH_SCREENSHOTS=docs/screenshots to refresh the README's screenshots (by default they go to a
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


def test_home_page(browser: webdriver.Chrome, server: str, shots: Path) -> None:
    browser.get(server + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Regional Consultative Processes on migration"
    rows = browser.find_elements(By.CSS_SELECTOR, "#matrix tbody th[scope=row]")
    assert len(rows) == 12 and rows[0].text.startswith("Migration Dialogue for Southern Africa")
    colour = browser.find_element(By.CSS_SELECTOR, "td.status-answered").value_of_css_property("background-color")
    assert colour == "rgba(207, 232, 213, 1)"  # the local stylesheet applied
    assert loaded_from(browser) == {server}
    browser.save_screenshot(str(shots / "home.png"))


def test_entity_page(browser: webdriver.Chrome, server: str, shots: Path) -> None:
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
    browser.save_screenshot(str(shots / "entity.png"))


def test_query_page_runs_a_stored_query(browser: webdriver.Chrome, server: str) -> None:
    browser.get(server + "/query")
    Select(browser.find_element(By.ID, "name")).select_by_value("cell")
    browser.find_element(By.ID, "pick").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, "param-process"))
    browser.find_element(By.ID, "param-process").send_keys("sacm")
    browser.find_element(By.ID, "param-dimension").send_keys("founding-documents")
    browser.find_element(By.ID, "run").click()
    table = WebDriverWait(browser, 20).until(lambda b: b.find_element(By.CSS_SELECTOR, "#result table.result"))
    headers = [th.text for th in table.find_elements(By.TAG_NAME, "th")]
    assert headers[:4] == ["response", "status", "assignment", "sourceText"]
    assert "answered" in table.text and "Quito Declaration" in table.text
    assert browser.find_element(By.CSS_SELECTOR, "#result .count").text == "1 row"
    assert loaded_from(browser) == {server}
