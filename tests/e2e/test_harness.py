"""The harness itself: axe really runs and fails with a readable list; sideways scrolling is caught."""

import pytest

from .conftest import PAGES_CHECKED, assert_accessible, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_PAGE = """<!DOCTYPE html><html><head><title>Bad</title></head><body>
<main><h1>Bad</h1><img src="x.png"><p style="color:#bbb;background:#fff">faint text</p>
<input type="text" name="q"><div style="width:900px">wide</div></main></body></html>"""


def test_assert_accessible_lists_violations_readably(site):
    site.page.set_content(BAD_PAGE)
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(site.page)
    message = str(failure.value)
    for rule in ("html-has-lang", "image-alt", "color-contrast", "label"):
        assert f"- {rule} (" in message, message
    assert "img" in message  # the target selector of the offending element
    assert PAGES_CHECKED[-1][3] >= 4


@pytest.mark.parametrize("width", [360], ids=["phone"], indirect=True)
def test_sideways_scroll_is_caught(site):
    site.page.set_content(BAD_PAGE)
    with pytest.raises(pytest.fail.Exception, match="scrolls sideways"):
        assert_no_sideways_scroll(site.page)
