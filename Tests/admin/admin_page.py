"""Drives the /admin page in a real headless chromium, as an admin would use it.

Usage: admin_page.py BASE_URL ADMIN_TOKEN ARTIFACTS_DIR [--queued-channel CHANNEL] [--replayed-text TEXT]

Signs in (after a wrong token is refused), introduces an error in the draft and sees it reported with its
line:column, fixes it, simulates a message against the draft, replays recent conversations, simulates a day against it, publishes, sees
the version change, rolls back, and signs out. Each step asserts what the page shows and saves a full-page
screenshot under ARTIFACTS_DIR. Exits 0 when every step passed, 1 naming the step that failed (with a
screenshot and the page's HTML), 2 when the browser cannot start.

The browser is Debian's chromium driven by Debian's chromedriver (/usr/bin/chromedriver): selenium is
pointed at both, so nothing is downloaded.
"""

import argparse
import os
import re
import shutil
import sys
import tempfile
import time

# Never let selenium-manager look for a driver or a browser online.
os.environ["SE_OFFLINE"] = "true"

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/lib/chromium/chromium"]


class StepFailed(Exception):
    pass


class AdminPageTest:
    def __init__(self, base, token, artifacts, queued, replayed):
        self.base = base.rstrip("/")
        self.token = token
        self.artifacts = artifacts
        self.queued = queued
        self.replayed = replayed
        self.step = "start"
        self.shots = 0
        self.profile = tempfile.mkdtemp(prefix="switchboard-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = next(path for path in CHROMIUM_CANDIDATES if os.path.exists(path))
        for argument in [
            "--headless=new",
            "--no-sandbox",  # the tests run as root
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--window-size=1280,1000",
            f"--user-data-dir={self.profile}",
        ]:
            options.add_argument(argument)
        self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(30)

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    # MARK: helpers

    def begin(self, step):
        self.step = step
        print(f"step: {step}", flush=True)

    def check(self, condition, message):
        if not condition:
            raise StepFailed(message)

    def text(self, css):
        elements = self.driver.find_elements(By.CSS_SELECTOR, css)
        return elements[0].text if elements else ""

    def wait_for(self, css, timeout=10):
        return WebDriverWait(self.driver, timeout).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
        )

    def click_and_wait(self, css):
        """Clicks a submit button and waits until the page it leads to has loaded: the old page is marked,
        and the new one is the first loaded page without the mark."""
        self.driver.execute_script("window.switchboardOldPage = true")
        self.driver.find_element(By.CSS_SELECTOR, css).click()
        WebDriverWait(self.driver, 15, ignored_exceptions=(WebDriverException,)).until(
            lambda driver: driver.execute_script(
                "return window.switchboardOldPage !== true && document.readyState === 'complete'"
            )
        )

    def fill(self, css, value):
        field = self.driver.find_element(By.CSS_SELECTOR, css)
        field.clear()
        field.send_keys(value)

    def screenshot(self, name):
        """A full-page screenshot: the window is made as tall as the page first."""
        self.shots += 1
        height = self.driver.execute_script(
            "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)"
        )
        self.driver.set_window_size(1280, min(max(int(height) + 120, 800), 12000))
        self.driver.execute_script("window.scrollTo(0, 0)")
        path = os.path.join(self.artifacts, f"{self.shots:02d}-{name}.png")
        self.driver.save_screenshot(path)
        self.driver.set_window_size(1280, 1000)
        print(f"  screenshot: {path}", flush=True)

    def notice(self):
        return self.text("#notice")

    def published_version(self):
        match = re.search(r"version (\d+)", self.text("#published-version"))
        return int(match.group(1)) if match else None

    # MARK: the steps

    def run(self):
        self.begin("the page asks for a sign-in")
        self.driver.get(self.base + "/admin")
        self.wait_for("#token")
        self.check(self.driver.current_url.endswith("/admin/login"), f"not sent to the sign-in page: {self.driver.current_url}")
        self.screenshot("sign-in")

        self.begin("a wrong token is refused")
        self.fill("#token", "not-the-admin-token")
        self.click_and_wait("#sign-in")
        error = self.text("#login-error")
        self.check("not valid" in error, f"no error for a wrong token; the page says: {error!r}")
        self.screenshot("wrong-token")

        self.begin("the admin token signs in")
        self.fill("#token", self.token)
        self.click_and_wait("#sign-in")
        self.wait_for("#published-version")
        self.check(self.driver.current_url.rstrip("/").endswith("/admin"), f"not on the admin page: {self.driver.current_url}")
        self.check(self.text("#actor").startswith("token:"), f"no signed-in actor shown: {self.text('#actor')!r}")
        cookies = {cookie["name"]: cookie for cookie in self.driver.get_cookies()}
        session = cookies.get("switchboard_admin")
        self.check(session is not None, f"no session cookie; cookies: {sorted(cookies)}")
        self.check(session.get("httpOnly") is True, f"the session cookie is not HttpOnly: {session}")
        self.check(session.get("sameSite") == "Strict", f"the session cookie is not SameSite=Strict: {session}")
        self.check("expiry" in session, f"the session cookie does not expire: {session}")
        self.check(
            self.driver.execute_script("return document.cookie") == "",
            "a script can read the session cookie",
        )
        self.start_version = self.published_version()
        self.check(self.start_version == 1, f"the published version is {self.start_version}, expected 1")
        roster = self.text("#agent-roster")
        self.check("Ana Ruiz" in roster and "Ben Okafor" in roster, f"the roster lacks the agents: {roster!r}")
        self.check("online" in roster, f"the roster shows no presence: {roster!r}")
        self.check(re.search(r"chat \d+/\d+", roster), f"the roster shows no load per channel: {roster!r}")
        if self.queued:
            rows = [row.text for row in self.driver.find_elements(By.CSS_SELECTOR, "#live-queue tbody tr")]
            self.check(
                any(f" {self.queued} " in f" {row} " and "general" in row for row in rows),
                f"the live queue lists no conversation waiting on {self.queued}: {rows!r}",
            )
        self.screenshot("signed-in")

        self.begin("an error in the draft is shown with its line and column")
        yaml = self.driver.find_element(By.CSS_SELECTOR, "#draft-yaml").get_property("value")
        self.check("require: {skills: {general: 1}}" in yaml, f"the editor does not hold the published table: {yaml!r}")
        broken = yaml.replace("require: {skills: {general: 1}}", "require: {skills: {general: 9}}")
        line_number, line = next((n, l) for n, l in enumerate(broken.split("\n"), start=1) if "general: 9" in l)
        column = line.index("9") + 1
        self.fill("#draft-yaml", broken)
        self.click_and_wait("#save-draft")
        self.wait_for("#draft-problems")
        problems = self.text("#draft-problems")
        expected = f":{line_number}:{column}: "
        self.check(expected in problems, f"the problem does not name line {line_number} column {column}: {problems!r}")
        self.check("must be 1 to 5, found 9" in problems, f"the problem does not say what is wrong: {problems!r}")
        self.check("general: 9" in self.text("#draft-problems pre.quote"), "the offending line is not quoted")
        self.check("problem" in self.notice(), f"no notice about the problem: {self.notice()!r}")
        self.check(
            not self.driver.find_element(By.CSS_SELECTOR, "#publish").is_enabled(),
            "an invalid draft can be published",
        )
        self.check(self.published_version() == 1, "saving a draft changed the published version")
        self.screenshot("draft-error")

        self.begin("the error is fixed")
        fixed = broken.replace("require: {skills: {general: 9}}", "require: {skills: {general: 4}}")
        self.fill("#draft-yaml", fixed)
        self.click_and_wait("#save-draft")
        self.wait_for("#draft-valid")
        self.check(not self.driver.find_elements(By.CSS_SELECTOR, "#draft-problems"), "problems are still listed")
        self.check("no problems" in self.notice(), f"no notice that the draft is valid: {self.notice()!r}")
        self.check("general: 4" in self.text("#draft-diff"), f"the diff does not show the change: {self.text('#draft-diff')!r}")
        self.screenshot("draft-fixed")

        self.begin("a simulation against the draft names the chosen agent")
        body = (
            '{"conversation_id": "sim-browser", "channel": "chat", '
            '"customer": {"id": "u-sim", "name": "Sam Lee"}, '
            '"message": {"id": "m-sim", "text": "my parcel is late"}}'
        )
        self.fill("#simulate-body", body)
        Select(self.driver.find_element(By.CSS_SELECTOR, "#simulate-table")).select_by_value("draft")
        self.click_and_wait("#run-simulation")
        self.wait_for("#simulation-result")
        self.check(self.text("#simulation-outcome") == "offered", f"outcome: {self.text('#simulation-outcome')!r}")
        self.check(self.text("#simulation-route") == "general", f"route: {self.text('#simulation-route')!r}")
        self.check("ben" in self.text("#simulation-agent"), f"chosen agent: {self.text('#simulation-agent')!r}")
        self.check("general ≥ 4" in self.text("#simulation-requirements"), f"requirements: {self.text('#simulation-requirements')!r}")
        excluded = self.text("#simulation-excluded")
        self.check("ana" in excluded and "general 3 < 4" in excluded, f"ana's exclusion is not explained: {excluded!r}")
        self.screenshot("simulation")

        self.begin("a replay lists the conversations the draft would route differently")
        self.click_and_wait("#run-replay")
        self.wait_for("#replay-result")
        summary = self.text("#replay-summary")
        self.check(re.search(r"\b[1-9]\d* would route differently", summary), f"replay summary: {summary!r}")
        changes = self.text("#replay-changes")
        if self.replayed:
            self.check(self.replayed in changes, f"the replay does not list the conversation {self.replayed!r}: {changes!r}")
        self.check("general 1 → general 4" in changes, f"the replay does not say why: {changes!r}")
        self.screenshot("replay")

        self.begin("a day simulated against the draft shows every policy's figures and Switchboard's goals")
        self.check("the draft" in self.text("#simulate-day"), f"no link to simulate a day: {self.text('#simulate-day')!r}")
        self.driver.execute_script("window.switchboardOldPage = true")
        self.driver.find_element(By.CSS_SELECTOR, "#simulate-day-draft").click()
        WebDriverWait(self.driver, 120, ignored_exceptions=(WebDriverException,)).until(
            lambda driver: driver.execute_script(
                "return window.switchboardOldPage !== true && document.readyState === 'complete'"
            )
        )
        self.check(self.text("h1").startswith("A day at"), f"heading: {self.text('h1')!r}")
        figures = self.text("table")
        for policy in ["Switchboard", "Round robin", "Skills only", "Longest idle, skills"]:
            self.check(policy in figures, f"the report has no column for {policy}: {figures!r}")
        self.check("first-contact resolution" in figures, f"figures: {figures!r}")
        self.check("the draft (from version 1)" in self.text("body"), "the report does not say it ran the draft")
        self.check(len(self.driver.find_elements(By.CSS_SELECTOR, "svg")) == 3, "the report does not have its three plots")
        self.check(len(self.driver.find_elements(By.CSS_SELECTOR, "script")) == 0, "the report page runs a script")
        self.screenshot("day")
        self.driver.get(self.base + "/admin")
        self.wait_for("#publish")

        self.begin("publishing makes the draft version 2")
        self.click_and_wait("#publish")
        self.wait_for("#published-version")
        self.check(self.published_version() == 2, f"published version after publishing: {self.published_version()}")
        self.check("Published version 2" in self.notice(), f"notice: {self.notice()!r}")
        self.check("general: 4" in self.text("pre.published-yaml"), "the published table is not the draft")
        self.check(
            "in force" in self.text("#version-history tr[data-version='2']"),
            "the history does not mark version 2 in force",
        )
        self.screenshot("published")

        self.begin("rolling back to version 1 brings its table back")
        self.click_and_wait("#rollback-1")
        self.wait_for("#published-version")
        self.check(self.published_version() == 3, f"published version after the rollback: {self.published_version()}")
        self.check("Rolled back to version 1" in self.notice(), f"notice: {self.notice()!r}")
        published = self.text("pre.published-yaml")
        self.check("general: 1" in published and "general: 4" not in published, "the rolled-back table is not version 1's")
        row = self.text("#version-history tr[data-version='3']")
        self.check("rollback of version 1" in row and "in force" in row, f"history row of version 3: {row!r}")
        self.check(
            "same table as in force" in self.text("#version-history tr[data-version='1']"),
            "version 1 is not shown as the table in force",
        )
        self.screenshot("rolled-back")

        self.begin("signing out ends the session")
        self.click_and_wait("#sign-out")
        self.wait_for("#token")
        self.check("signed out" in self.text("#notice"), f"no signed-out notice: {self.text('#notice')!r}")
        self.driver.get(self.base + "/admin")
        self.wait_for("#token")
        self.check(self.driver.current_url.endswith("/admin/login"), "the admin page opens after signing out")
        self.screenshot("signed-out")

    def fail(self, message):
        print(f"FAILED at step '{self.step}': {message}", flush=True)
        try:
            self.screenshot("failed")
            with open(os.path.join(self.artifacts, "failed.html"), "w", encoding="utf-8") as page:
                page.write(self.driver.page_source)
        except Exception as error:  # the browser may be gone
            print(f"  (no screenshot: {error})", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("admin_token")
    parser.add_argument("artifacts")
    parser.add_argument("--queued-channel", help="a channel on which the live queue must list a waiting conversation")
    parser.add_argument("--replayed-text", help="the text of a message whose conversation the replay must list")
    arguments = parser.parse_args()
    os.makedirs(arguments.artifacts, exist_ok=True)
    started = time.monotonic()
    try:
        test = AdminPageTest(
            arguments.base_url, arguments.admin_token, arguments.artifacts, arguments.queued_channel, arguments.replayed_text
        )
    except Exception as error:
        print(f"the browser did not start: {error}", flush=True)
        return 2
    try:
        test.run()
    except StepFailed as failure:
        test.fail(str(failure))
        return 1
    except Exception as error:
        test.fail(f"{type(error).__name__}: {error}")
        return 1
    finally:
        test.close()
    print(f"all steps passed in {time.monotonic() - started:.1f}s; {test.shots} screenshots in {arguments.artifacts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
