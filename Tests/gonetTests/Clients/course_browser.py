"""A student in a real browser (headless Chromium through Selenium, Debian's chromedriver): signs
in to `gonet serve` with a token, uploads a network through the form, reads the verdict, then
watches the standings page, which updates itself, until the network has played a game, and takes
a screenshot of it.

    python course_browser.py URL TOKEN NETWORK NAME SCREENSHOT.png
"""
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

url, token, network, name, shot = sys.argv[1:6]

# The server may still be starting.
for _ in range(100):
    try:
        urllib.request.urlopen(url + "/api/status", timeout=2)
        break
    except OSError:
        time.sleep(0.2)

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1100,1300"]:
    options.add_argument(a)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(url + "/signin")
    driver.find_element(By.ID, "token").send_keys(token)
    driver.find_element(By.ID, "signin").click()
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "network"))
    print("signed in:", driver.find_element(By.TAG_NAME, "h1").text)
    driver.find_element(By.ID, "network").send_keys(network)
    driver.find_element(By.ID, "upload").click()
    verdict = WebDriverWait(driver, 120).until(lambda d: d.find_element(By.ID, "verdict")).text
    print("verdict:", verdict.splitlines()[-1])
    assert verdict.splitlines()[-1].startswith("accepted"), verdict

    driver.get(url + "/")

    def played(d):
        # The live part is fetched again every few seconds: no reload here.
        for row in d.find_elements(By.CSS_SELECTOR, "#standings tr")[1:]:
            cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
            if len(cells) > 4 and cells[1] == name and int(cells[4]) > 0:
                return cells
        return False

    # A row read while the live part is being replaced is read again at the next poll.
    wait = WebDriverWait(driver, 300, poll_frequency=1, ignored_exceptions=[StaleElementReferenceException])
    cells = wait.until(played)
    print("standings:", " ".join(cells))
    driver.save_screenshot(shot)
finally:
    driver.quit()
