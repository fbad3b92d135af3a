"""The chapter-3 pages take their shared opening (notebook links, questions, points) from the
practice definitions and the book's configuration, not from text typed on each page."""

import re
from pathlib import Path

import pytest
import yaml

from sepsislab.exercises.pages import binder_url, notebook_card_markdown
from sepsislab.exercises.practices import NAMES, get

ROOT = Path(__file__).resolve().parents[1]
CH3 = ROOT / "book" / "ch3"
PAGES = sorted(p for p in CH3.glob("*.md") if p.stem != "index")
LABELS = {
    m
    for page in (ROOT / "book").rglob("*.md")
    for m in re.findall(r"^\((sec-[\w-]+)\)=$", page.read_text(encoding="utf-8"), re.M)
}


def test_every_practice_has_a_page():
    assert sorted(p.stem for p in PAGES) == sorted(NAMES)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_opens_with_its_generated_card(page):
    text = page.read_text(encoding="utf-8")
    calls = re.findall(r'^notebook_card\("([\w-]+)", read_first="([\w-]+)"\)$', text, re.M)
    assert len(calls) == 1, f"{page.name}: one notebook_card(...) cell expected, found {calls}"
    ((practice, read_first),) = calls
    assert practice == page.stem
    assert read_first in LABELS, f"{page.name}: no section labelled {read_first!r} in the book"
    assert "mybinder.org" not in text, f"{page.name}: a hard-coded Binder address"


def test_card_states_the_practice_numbers_and_links():
    practice = get("starling")
    text = notebook_card_markdown("starling", read_first="sec-barrier", page_dir=CH3)
    assert f"{len(practice.questions)} graded questions, {practice.max_points:g} points" in text
    assert "{download}`download it <../../exercises/starling.ipynb>`" in text
    assert "{ref}`sec-barrier`" in text
    assert f"]({binder_url('exercises/starling.ipynb', ROOT)})" in text


def test_binder_address_follows_the_book_configuration():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    owner_repo = config["repository"]["url"].split("github.com/")[1]
    url = binder_url("exercises/dic.ipynb", ROOT)
    assert url.startswith(config["launch_buttons"]["binderhub_url"].rstrip("/") + "/v2/gh/" + owner_repo + "/")
    assert url.endswith(f"/{config['repository']['branch']}?urlpath=lab/tree/exercises/dic.ipynb")


def test_unknown_practice_is_refused():
    with pytest.raises(ValueError, match="practice='nope' is not a practice; allowed: .*starling"):
        notebook_card_markdown("nope", read_first="sec-barrier", page_dir=CH3)
