"""The Content-Security-Policy (issue 18, finding 6) breaks nothing in a real
browser: chromium reports no violation on the pages that run scripts (the
modeler, the oversight diagram) or draw the calendar, and bpmn-js still draws."""
from __future__ import annotations

from tests.conftest import future_request
from tests.e2e.test_modeler_browser import KEY, sign_in

LISTEN = ("window.__csp = []; document.addEventListener('securitypolicyviolation',"
          " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")


def _visit(page, url: str, ready: str | None = None) -> list[str]:
    """Open ``url`` and return the policy violations the page reported."""
    page.goto(url)
    page.wait_for_selector(ready) if ready else page.wait_for_load_state("load")
    page.wait_for_timeout(100)
    return page.evaluate("() => window.__csp")


def test_no_page_violates_the_policy(server, browser, clock):
    base, app = server
    engine = app.extensions["vicon"]
    instance = engine.start(KEY, future_request(clock), engine.actor("opd.dinkes")).summary.id
    analyst, manager = sign_in(browser, base, "analyst"), sign_in(browser, base, "manager")
    for page in (analyst, manager):
        page.add_init_script(LISTEN)

    assert _visit(analyst, f"{base}/proses/{KEY}/modeler", '[data-element-id="T06_report_meeting"]') == []
    assert _visit(manager, f"{base}/pemantauan/permohonan/{instance}",
                  '.djs-element[data-element-id="T02_disposition_kadis"]') == []
    for path in ("/kalender-rapat", "/dasbor", "/pemantauan/permohonan", "/kotak-masuk"):
        assert _visit(manager, base + path) == [], path
    # the check can see a violation: an inline script is refused and reported
    manager.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
                     " document.body.appendChild(s); }")
    manager.wait_for_timeout(200)
    assert manager.evaluate("() => window.__csp") == ["script-src-elem inline"]
    assert manager.evaluate("() => window.x") is None
