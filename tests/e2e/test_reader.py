"""The reader, end to end, in a real headless chromium: list, speech, outline, deep links, quotes,
search, autocomplete, errors, keyboard, a phone-sized screen and an axe-core check of each page.

Screenshots of every step go to artifacts/e2e/ (NN-step.png), axe reports to axe-PAGE.json.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import ARTIFACTS, AXE, REQUIRED, axe_check, screenshot

if REQUIRED:  # scripts/test: Playwright is installed, so its absence is an error, not a skip
    from playwright import sync_api
else:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.e2e

SEED_TITLE = "在“五一”劳动节暨先进模范表彰大会上的讲话"
OTHER_TITLE = "在全市科技创新大会上的致辞"


def open_page(page: Any, path: str) -> None:
    """Go to a reader page and wait until it has rendered (main is no longer aria-busy)."""
    page.goto(path)
    expect(page.locator("main")).to_have_attribute("aria-busy", "false")


def clipboard(page: Any) -> str:
    text: str = page.evaluate("navigator.clipboard.readText()")
    return text


def test_open_the_seed_speech_and_navigate_by_the_outline(page: Any, reader: dict[str, Any]) -> None:
    open_page(page, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("讲话")
    expect(page.locator(".card")).to_have_count(3)
    screenshot(page, "01-speech-list")
    axe_check(page, "speech-list")

    page.get_by_role("link", name=SEED_TITLE).click()
    expect(page).to_have_url(re.compile(rf"/speeches/{reader['seed']}$"))
    expect(page.locator("main")).to_have_attribute("aria-busy", "false")
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    expect(page).to_have_title(re.compile(SEED_TITLE))
    screenshot(page, "02-speech")
    axe_check(page, "speech")

    # The outline: 二、 (a part), then 二是 (its second point).
    toc = page.get_by_role("navigation", name="目录")
    toc.get_by_role("link", name=re.compile("^二、")).click()
    expect(page).to_have_url(re.compile("#part_2$"))
    point = toc.locator("#toc-part_2").get_by_role("link", name=re.compile("^二是"))
    expect(point).to_be_visible()
    point.click()
    expect(page).to_have_url(re.compile("#part_2__point_2$"))
    heading = page.locator("#part_2__point_2-h")
    expect(heading).to_have_text("二是改革创新要奋勇争先")
    expect(heading).to_be_in_viewport()
    expect(point).to_have_attribute("aria-current", "location")
    expect(toc.get_by_role("link", name=re.compile("^二、"))).to_have_attribute("aria-current", "true")

    # Previous / next come from the section endpoint (siblings); past the last point, the next part.
    bar = page.get_by_role("navigation", name="上一节和下一节")
    expect(bar.locator("a[rel=prev]")).to_contain_text("一是产业发展要一马当先")
    expect(bar.locator("a[rel=next]")).to_contain_text("三是维护稳定要忠诚为先")
    screenshot(page, "03-outline-part2-point2")
    bar.locator("a[rel=next]").click()
    expect(page).to_have_url(re.compile("#part_2__point_3$"))
    expect(bar.locator("a[rel=next]")).to_contain_text("三、要维护权益")
    expect(bar.locator("a[rel=prev]")).to_contain_text("二是改革创新要奋勇争先")


def test_deep_links_to_a_section_and_a_paragraph(page: Any, reader: dict[str, Any]) -> None:
    seed = reader["seed"]
    open_page(page, f"/speeches/{seed}#part_2__point_3")
    section = page.locator("#part_2__point_3")
    expect(section).to_have_class(re.compile(r"\bis-target\b"))
    expect(page.locator("#part_2__point_3-h")).to_be_in_viewport()
    assert page.evaluate("document.activeElement.id") == "part_2__point_3"
    expect(
        page.get_by_role("navigation", name="目录").locator('a[data-eid="part_2__point_3"]')
    ).to_have_attribute("aria-current", "location")
    screenshot(page, "04-deep-link-section")

    section.get_by_role("button", name=re.compile("^复制链接")).first.click()
    assert clipboard(page) == f"{reader['base']}/speeches/{seed}#part_2__point_3"
    expect(page.get_by_role("status").filter(has_text="已复制本节链接")).to_be_visible()

    page.goto("about:blank")
    open_page(page, f"/speeches/{seed}#part_3__point_1__para_1")
    paragraph = page.locator("#part_3__point_1__para_1")
    expect(paragraph).to_have_class(re.compile(r"\bis-target\b"))
    expect(paragraph).to_be_in_viewport()
    expect(paragraph).to_contain_text("当前，一方面国内疫情防控")
    screenshot(page, "05-deep-link-paragraph")

    # The paragraph's ¶ link is itself a deep link, and copies it.
    paragraph.get_by_role("link", name=re.compile("的链接")).click()
    assert clipboard(page) == f"{reader['base']}/speeches/{seed}#part_3__point_1__para_1"

    # An anchor that no longer exists (the text was corrected) falls back to its section; a speech
    # is addressed by slug as well as by id.
    slug = page.request.get(f"/api/v1/speeches/{seed}").json()["slug"]
    page.goto("about:blank")
    open_page(page, f"/speeches/{slug}#part_2__point_3__para_9")
    expect(page.locator("#part_2__point_3")).to_have_class(re.compile(r"\bis-target\b"))
    expect(page.locator("#part_2__point_3-h")).to_be_in_viewport()


def test_quotes_are_highlighted_and_copied_with_their_source(page: Any, reader: dict[str, Any]) -> None:
    seed, base = reader["seed"], reader["base"]
    open_page(page, f"/speeches/{seed}")
    golden = page.locator("#preamble__para_2 mark.q--golden").first
    expect(golden).to_have_text("劳动创造财富，劳动成就未来。")
    expect(page.locator("#part_1__para_1 mark.q--citation").first).to_have_text(
        "劳动是一切有劳动能力的公民的光荣职责"
    )
    expect(page.locator("mark.q--term", has_text="中国梦").first).to_be_visible()

    panel = page.locator("details.quotes")
    panel.get_by_role("button", name=re.compile("^金句")).click()
    expect(panel.locator("li.quote:visible")).to_have_count(6)
    first = panel.locator("li.quote:visible").first
    first.get_by_role("button", name=re.compile("^复制引文")).click()
    assert (
        clipboard(page)
        == f"“劳动创造财富，劳动成就未来。”——《{SEED_TITLE}》 {base}/speeches/{seed}#preamble__para_2"
    )
    screenshot(page, "06-quotes-panel")

    # 定位 jumps to the quote in the text.
    first.get_by_role("link", name=re.compile("^定位")).click()
    expect(page).to_have_url(re.compile(r"#quote-\d+$"))
    expect(page.locator("mark.is-target")).to_have_text("劳动创造财富，劳动成就未来。")

    # With a speaker and a date, both are part of the source.
    other = reader["other"]
    open_page(page, f"/speeches/{other}")
    page.locator("details.quotes").get_by_role("button", name=re.compile("^复制引文")).first.click()
    assert clipboard(page) == (
        f"“科技强市”——李明，《{OTHER_TITLE}》（2024年9月1日） {base}/speeches/{other}#part_1__para_1"
    )


def test_search_and_open_a_result(page: Any, reader: dict[str, Any]) -> None:
    open_page(page, "/")
    box = page.get_by_role("combobox", name="搜索讲话全文")
    box.fill("劳模")
    box.press("Enter")  # no suggestion is highlighted, so Enter submits what was typed
    expect(page).to_have_url(re.compile(r"/search\?q=%E5%8A%B3%E6%A8%A1$"))
    expect(page.locator("main")).to_have_attribute("aria-busy", "false")
    expect(page.locator(".summary")).to_contain_text("劳模")
    hits = page.locator("li.hit")
    expect(hits.first).to_be_visible()
    marks = page.locator("li.hit mark").all_text_contents()
    assert marks
    assert set(marks) == {"劳模"}
    expect(hits.first.get_by_role("list", name="位置")).to_contain_text(SEED_TITLE)
    screenshot(page, "07-search")
    axe_check(page, "search")

    # Filters: quotes only, one speech.
    page.get_by_role("radio", name="引文").check()
    page.get_by_role("combobox", name="讲话").select_option(str(reader["seed"]))
    page.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"in=quotes"))
    expect(page.locator(".summary")).to_contain_text("引文结果")
    expect(page.locator("li.hit").first).to_contain_text("劳模")
    for href in page.locator("li.hit .hit__snippet a").evaluate_all("links => links.map(a => a.pathname)"):
        assert href == f"/speeches/{reader['seed']}"
    page.go_back()
    expect(page.locator("li.hit").first).to_be_visible()

    # Open the first result: its paragraph is the target, and the keyword is in it.
    link = page.locator("li.hit .hit__snippet a").first
    anchor = link.get_attribute("href").split("#")[1]
    link.click()
    expect(page).to_have_url(re.compile(rf"/speeches/{reader['seed']}#{anchor}$"))
    target = page.locator(f"#{anchor}")
    expect(target).to_have_class(re.compile(r"\bis-target\b"))
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text("劳模")
    screenshot(page, "08-search-result-opened")


def test_search_filters_by_date_and_sorts(page: Any, reader: dict[str, Any]) -> None:
    open_page(page, "/search?q=劳模")
    page.get_by_label("起始日期").fill("2024-01-01")
    page.get_by_label("排序").select_option("date")
    page.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"from=2024-01-01"))
    expect(page).to_have_url(re.compile(r"sort=date"))
    expect(page.locator("main")).to_have_attribute("aria-busy", "false")
    hits = page.locator("li.hit")
    expect(hits.first).to_be_visible()
    # Only the speech delivered in 2024 (the seed has no date), its date shown with each hit.
    for crumbs in page.get_by_role("list", name="位置").all():
        expect(crumbs.get_by_role("listitem").first).to_have_text(OTHER_TITLE)
    expect(hits.first.locator(".meta")).to_contain_text("2024年9月1日")
    expect(page.get_by_label("起始日期")).to_have_value("2024-01-01")


def test_search_pages(page: Any, reader: dict[str, Any]) -> None:
    open_page(page, "/search?q=劳动")  # more matches than one page holds
    expect(page.locator("li.hit")).to_have_count(20)
    pager = page.get_by_role("navigation", name="分页")
    expect(pager.locator('[aria-current="page"]')).to_have_text("第 1 页")
    pager.get_by_role("link", name="下一页 ›").click()
    expect(page).to_have_url(re.compile(r"cursor="))
    expect(pager.locator('[aria-current="page"]')).to_have_text("第 2 页")
    expect(page.locator("li.hit").first).to_be_visible()
    assert page.locator("li.hit").count() < 20
    screenshot(page, "09-search-page-2")
    pager.get_by_role("link", name="‹ 上一页").click()
    expect(pager.locator('[aria-current="page"]')).to_have_text("第 1 页")
    expect(page.locator("li.hit")).to_have_count(20)


def test_autocomplete_with_pinyin(page: Any, reader: dict[str, Any]) -> None:
    open_page(page, "/")
    box = page.get_by_role("combobox", name="搜索讲话全文")
    box.press_sequentially("laomo", delay=40)
    listbox = page.get_by_role("listbox", name="搜索建议")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("劳模")
    expect(box).to_have_attribute("aria-expanded", "true")

    expect(options).to_have_count(2)  # 劳模, 劳模精神
    box.press("ArrowUp")  # from nothing chosen, ↑ wraps to the last suggestion …
    expect(box).to_have_attribute("aria-activedescendant", options.last.get_attribute("id"))
    box.press("ArrowDown")  # … and ↓ from the last wraps to the first
    first_id = options.first.get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(options.last).to_have_attribute("aria-selected", "false")
    expect(box).to_be_focused()
    screenshot(page, "10-autocomplete-laomo")
    axe_check(page, "autocomplete")

    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=%E5%8A%B3%E6%A8%A1$"))
    expect(page.get_by_role("searchbox", name="关键词").or_(page.locator("#search-q"))).to_have_value("劳模")
    expect(page.locator("li.hit").first).to_be_visible()
    screenshot(page, "11-autocomplete-search")

    # Escape closes the list; initials work too.
    box = page.locator("#search-q")
    box.fill("")
    box.press_sequentially("lmjs", delay=40)
    listbox = page.get_by_role("listbox", name="搜索建议")
    expect(listbox.get_by_role("option").first).to_contain_text("劳模精神")
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")


def test_list_filters(page: Any, reader: dict[str, Any]) -> None:
    open_page(page, "/")
    page.get_by_label("体裁").select_option("致辞")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"/\?genre=%E8%87%B4%E8%BE%9E$"))
    expect(page.locator(".card")).to_have_count(1)
    expect(page.locator(".card")).to_contain_text(OTHER_TITLE)
    expect(page.locator(".card .meta")).to_contain_text("李明 · 2024年9月1日 · 致辞")

    open_page(page, "/?speaker=李明&from=2024-01-01&to=2024-12-31")
    expect(page.locator(".card")).to_have_count(1)
    expect(page.get_by_label("讲话人")).to_have_value("李明")
    expect(page.get_by_label("起始日期")).to_have_value("2024-01-01")
    screenshot(page, "12-list-filtered")

    open_page(page, "/?speaker=nobody")
    expect(page.locator(".empty")).to_contain_text("没有符合条件的讲话。")
    expect(page.locator(".empty").get_by_role("link", name="清除筛选")).to_have_attribute("href", "/")


def test_keyboard_skip_link_and_outline(page: Any, reader: dict[str, Any]) -> None:
    open_page(page, f"/speeches/{reader['seed']}")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    toggle = page.get_by_role("button", name=re.compile("^三、.*展开或收起"))
    toggle.focus()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")  # the part's own link
    page.keyboard.press("Tab")  # its first point
    expect(page.locator(":focus")).to_have_text(re.compile("^一要"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#part_3__point_1$"))
    expect(page.locator("#part_3__point_1-h")).to_be_in_viewport()
    screenshot(page, "13-keyboard-outline")


def test_phone_sized_screen(browser: Any, reader: dict[str, Any]) -> None:
    # A phone, in dark mode: the colours of the other scheme are checked by axe here.
    context = browser.new_context(
        base_url=reader["base"],
        viewport={"width": 375, "height": 812},
        has_touch=True,
        color_scheme="dark",
        bypass_csp=True,
    )
    page = context.new_page()
    try:
        open_page(page, "/")
        filters = page.locator("details.filters-box")  # folded away, so the list comes first
        expect(filters).not_to_have_attribute("open", "")
        expect(page.locator(".card").first).to_be_in_viewport()
        filters.locator("summary").click()
        expect(page.get_by_label("体裁")).to_be_visible()
        screenshot(page, "14-phone-list")
        axe_check(page, "phone-list")
        open_page(page, "/?genre=致辞")  # filters in use are shown
        expect(page.locator("details.filters-box")).to_have_attribute("open", "")

        open_page(page, f"/speeches/{reader['seed']}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        toc = page.locator("details.toc")
        expect(toc).not_to_have_attribute("open", "")
        # Both panels fold up above the text: the quotes are one tap away, not after the speech.
        quotes = page.locator("details.quotes")
        expect(quotes).not_to_have_attribute("open", "")
        expect(quotes).to_be_in_viewport()
        box = quotes.bounding_box()
        text = page.locator(".speech__text").bounding_box()
        assert box is not None and text is not None and box["y"] < text["y"]
        toc.locator("summary").click()
        toc.get_by_role("link", name=re.compile("^二、")).click()
        toc.locator("#toc-part_2").get_by_role("link", name=re.compile("^二是")).click()
        expect(page.locator("#part_2__point_2-h")).to_be_in_viewport()
        screenshot(page, "15-phone-speech")
        axe_check(page, "phone-speech")
        open_page(page, "/search?q=劳模")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        screenshot(page, "16-phone-search")
        axe_check(page, "phone-search")
    finally:
        context.close()


def test_problems_are_shown(page: Any, reader: dict[str, Any], browser_errors: list[str]) -> None:
    open_page(page, "/speeches/999999")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("找不到这项内容")  # what it means, in the reader's language …
    expect(alert).to_contain_text("Not found")  # … then what the API said
    expect(alert).to_contain_text("404")
    expect(alert.get_by_role("link", name="/problems/not-found")).to_be_visible()
    screenshot(page, "17-not-found")
    axe_check(page, "not-found")

    open_page(page, "/search?q=%EF%BC%8C%EF%BC%8C")  # q=，， : nothing to search
    expect(page.get_by_role("alert")).to_contain_text("400")
    expect(page.get_by_role("alert")).to_contain_text("关键词里没有可以搜索的字词")
    browser_errors.clear()  # the browser logs the 404 and the 400 it was answered


def test_page_weight_and_only_the_public_api(page: Any, reader: dict[str, Any]) -> None:
    sizes: dict[str, int] = {}
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: sizes.__setitem__(response.url, len(response.body())))
    # Every page of the reader, the autocomplete included.
    open_page(page, "/")
    page.get_by_role("combobox", name="搜索讲话全文").press_sequentially("laomo", delay=40)
    expect(page.get_by_role("listbox", name="搜索建议")).to_be_visible()
    open_page(page, "/search?q=劳模")
    open_page(page, f"/speeches/{reader['seed']}")
    page.wait_for_load_state("networkidle")
    base = reader["base"]
    assert all(url.startswith(base) for url in requests), requests
    paths = [url[len(base) :] for url in requests]
    assert all(
        p.startswith(("/api/v1/", "/static/", "/speeches/", "/search", "/?")) or p == "/" for p in paths
    ), paths
    assert any(p.startswith("/api/v1/terms") for p in paths)
    assets = sum(size for url, size in sizes.items() if "/static/" in url)
    assert assets < 100_000, f"{assets} bytes of HTML/CSS/JS"


def test_a_speech_without_title_speaker_or_date(page: Any, reader: dict[str, Any]) -> None:
    untitled, base = reader["untitled"], reader["base"]
    open_page(page, "/")
    card = page.locator(".card").filter(has=page.get_by_role("link", name="无标题讲话"))
    expect(card).to_have_count(1)
    # Known by how it opens: the first paragraph that is more than the salutation 同志们：
    expect(card.locator(".card__excerpt")).to_have_text("现在，我就做好今年的防汛抗旱工作讲两点意见。")
    slug = page.request.get(f"/api/v1/speeches/{untitled}").json()["slug"]
    expect(page.locator("main")).not_to_contain_text(slug)  # never the bare slug as a name

    card.get_by_role("link", name="无标题讲话").click()
    expect(page.locator("main")).to_have_attribute("aria-busy", "false")
    expect(page.get_by_role("heading", level=1)).to_have_text("无标题讲话")
    expect(page.get_by_role("navigation", name="面包屑").locator("[aria-current=page]")).to_have_text(
        "无标题讲话"
    )
    expect(page).to_have_title("无标题讲话 · 讲话阅读器")
    # With nothing to name the source by, the copied quote is the quote and its link.
    page.locator("details.quotes").get_by_role("button", name=re.compile("^复制引文")).first.click()
    copied: str = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"“人民至上” {base}/speeches/{untitled}#part_1__para_1"
    screenshot(page, "18-untitled-speech")


def test_an_empty_library_says_how_to_fill_it(browser: Any, empty_reader: str) -> None:
    context = browser.new_context(
        base_url=empty_reader, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    try:
        open_page(page, "/")
        expect(page.locator(".summary")).to_have_text("共收录 0 篇讲话")
        expect(page.locator(".empty")).to_contain_text("还没有收录讲话")
        expect(page.locator(".empty")).to_contain_text("python -m app import")
        screenshot(page, "19-empty-library")
        axe_check(page, "empty-library")
    finally:
        context.close()


def test_pinyin_typed_without_choosing_offers_the_terms(page: Any, reader: dict[str, Any]) -> None:
    open_page(page, "/")
    box = page.get_by_role("combobox", name="搜索讲话全文")
    box.fill("laomo")  # and Enter at once, before any suggestion was chosen
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=laomo$"))
    expect(page.locator("main")).to_have_attribute("aria-busy", "false")
    expect(page.locator(".empty")).to_contain_text("没有找到")
    offer = page.locator(".alternatives")
    expect(offer).to_contain_text("试试：")
    screenshot(page, "20-search-alternatives")
    offer.get_by_role("link", name="劳模", exact=True).click()
    expect(page).to_have_url(re.compile(r"/search\?q=%E5%8A%B3%E6%A8%A1$"))
    expect(page.locator("li.hit").first).to_be_visible()


def test_keyboard_focus_is_never_hidden_under_the_sticky_bar(page: Any, reader: dict[str, Any]) -> None:
    # Bringing the bar itself into view (it is always on screen) must not move the page: a
    # scroll-padding on the page would, and the bar's links would change under the pointer.
    open_page(page, f"/speeches/{reader['seed']}#part_2__point_2")
    before = page.evaluate("scrollY")
    page.get_by_role("navigation", name="上一节和下一节").locator("a[rel=next]").evaluate(
        "link => link.scrollIntoViewIfNeeded()"
    )
    assert page.evaluate("scrollY") == before

    page.goto("about:blank")
    open_page(page, f"/speeches/{reader['seed']}")
    page.locator("#preamble__para_1 .para-link").focus()
    checked = 0
    for _ in range(30):  # through the text: ¶ links and copy-link buttons, paragraph after paragraph
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => {
                const el = document.activeElement, bar = document.querySelector('.section-nav');
                if (!el.closest('.speech__text') || bar.contains(el)) return null;
                return {bottom: el.getBoundingClientRect().bottom, bar: bar.getBoundingClientRect().top,
                        label: el.getAttribute('aria-label') || el.textContent};
            }"""
        )
        if where:
            checked += 1
            assert where["bottom"] <= where["bar"], f"{where['label']} is under the previous/next bar"
    assert checked >= 20


def test_axe_check_fails_on_a_serious_violation(page: Any, reader: dict[str, Any]) -> None:
    """The accessibility checks can fail: the real axe-core, given a page with serious faults."""
    open_page(page, "/")
    page.evaluate(
        """() => {
            const img = document.createElement('img');  // no alt: axe's image-alt, critical
            img.src = '/static/icon.svg';
            const faint = document.createElement('p');  // 1.1:1 contrast: color-contrast, serious
            faint.textContent = '几乎看不见的文字';
            faint.style.cssText = 'color:#fafafa;background:#ffffff';
            document.querySelector('main').append(img, faint);
        }"""
    )
    with pytest.raises(AssertionError) as failure:
        axe_check(page, "self-test")
    assert "image-alt" in str(failure.value) and "color-contrast" in str(failure.value)
    (ARTIFACTS / "axe-self-test.json").unlink()
    version = re.search(r"axe v(\S+)", AXE.read_text(encoding="utf-8")[:200])
    assert version is not None
    assert page.evaluate("axe.version") == version.group(1)
    assert f"axe-core {version.group(1)}" in (AXE.parent / "README.md").read_text(encoding="utf-8")
