"""Generate a legacy site in the sample's markup (TYPO3 templates, latest-news box, image menus).

``generate(root, pages)`` writes ``root/pub/index.php?id=….html`` files, as
``wget --mirror --adjust-extension`` would, for about ``pages`` pages: half news
items, news list pages of 20 items, work packages with three parts of six
milestones each, and partner-city pages; a home page links to everything.
Bytes are windows-1252 declared as iso-8859-1, like the legacy server's.
"""

from __future__ import annotations

import datetime
import html
from pathlib import Path

CITIES = ["Riga", "Tallinn", "Vilnius", "Helsinki", "Stockholm", "Copenhagen", "Oslo",
          "Warsaw", "Berlin", "Hamburg", "St. Petersburg", "Malmö", "Århus", "Tønsberg"]
PERIODS = ["Start - June 2005", "July - December 2005", "January - June 2006",
           "July - December 2006", "January - June 2007", "July - December 2007"]
LOREM = ("The WP co-coordinator is responsible for gathering the data of the partner cities "
         "and for the dissemination of the results amongst the participating metropolises. "
         "Each city partner enters the relevant organisations into the project database.")
LIST_SIZE = 20

HEAD = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
\t"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head>
\t<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1" />
\t<base href="http://inno.baltmet.org/pub/" />
\t<title>BaltMet Inno: {title}</title>
</head>
<body bgcolor="#FFFFFF">
<table id="page" width="770" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td colspan="3" id="top"><a href="index.php?id=1"><img src="fileadmin/template/img/header.jpg"
 width="770" height="110" border="0" alt="" /></a></td></tr>
<tr>
<td id="left" valign="top" width="180">
{latest}
</td>
<td id="content" valign="top" width="410">
<!--TYPO3SEARCH_begin-->
{content}
<!--TYPO3SEARCH_end-->
</td>
<td id="right" valign="top" width="180">
<a href="index.php?id=1" onfocus="blurLink(this);"><img src="typo3temp/menu/0001a7c3e1.gif"
 width="180" height="24" border="0" alt="" /></a><br />
<a href="index.php?id=12" onfocus="blurLink(this);"><img src="typo3temp/menu/000ca7c3e1.gif"
 width="180" height="24" border="0" alt="" /></a><br />
</td>
</tr>
<tr><td colspan="3" id="rootline">{rootline}</td></tr>
<tr><td colspan="3" id="footer"><img src="fileadmin/template/img/eu_logo.gif" width="60"
 height="40" alt="" /> Part-financed by the European Union (INTERREG III B)</td></tr>
</table>
</body>
</html>
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


class Site:
    def __init__(self, pages: int) -> None:
        self.news = max(4, pages // 2)
        self.lists = -(-self.news // LIST_SIZE)
        rest = pages - self.news - self.lists - 1
        self.work_packages = max(1, rest * 2 // 3 // 4)
        self.cities = max(1, rest - self.work_packages * 4)
        start = datetime.date(2007, 12, 20)
        self.dates = [start - datetime.timedelta(days=3 * i) for i in range(self.news)]

    # -- urls --------------------------------------------------------------------
    @staticmethod
    def item(i: int) -> str:
        return f"index.php?id=12&gid=2&lid={i + 1}"

    @staticmethod
    def news_list(p: int) -> str:
        return "index.php?id=12" if p == 0 else f"index.php?id=12&pointer={p}"

    @staticmethod
    def wp(w: int) -> str:
        return f"index.php?id={1000 + w}"

    @staticmethod
    def part(w: int, k: int) -> str:
        return f"index.php?id={2000 + w * 10 + k}"

    @staticmethod
    def city(c: int) -> str:
        return f"index.php?id={5000 + c}"

    # -- content -----------------------------------------------------------------
    def title(self, i: int) -> str:
        d = self.dates[i]
        return f"BaltMet Inno workshop no. {i + 1} in {CITIES[i % len(CITIES)]}, {d:%d %B %Y}"

    def teaser(self, i: int) -> str:
        return (f"On {self.dates[i]:%d %B %Y} the partners met in {CITIES[i % len(CITIES)]} "
                "to discuss the transnational cluster alliances.")

    def latest(self) -> str:
        items = "".join(
            f'<div class="news-latest-item"><p class="news-latest-title"><b>{_e(self.title(i))}'
            f'</b></p><p class="bodytext">{_e(self.teaser(i))}</p><p class="news-latest-more">'
            f'<a href="{_e(self.item(i))}">Read more</a></p></div>\n'
            for i in range(min(4, self.news))
        )
        return f'<div id="news-latest"><h2 class="news-latest-header">latest news</h2>{items}</div>'

    def page(self, title: str, content: str, rootline: str = "") -> bytes:
        text = HEAD.format(title=_e(title), latest=self._latest, content=content,
                           rootline=rootline)
        return text.encode("cp1252", "xmlcharrefreplace")

    def news_item_page(self, i: int) -> bytes:
        other = self.city(i % self.cities)
        body = (f'<div class="news-single-item"><h1>{_e(self.title(i))}</h1>'
                f'<p class="bodytext">{_e(self.teaser(i))}</p>'
                f'<p class="bodytext">{LOREM} See also <a href="{other}">the partner city</a>.</p>'
                f'<p class="bodytext">{LOREM}</p>'
                '<p class="news-single-backlink"><a href="index.php?id=12">&lt;- Back to news</a>'
                "</p></div>")
        return self.page(self.title(i), body)

    def news_list_page(self, p: int) -> bytes:
        items = []
        for i in range(p * LIST_SIZE, min(self.news, (p + 1) * LIST_SIZE)):
            items.append(
                f'<div class="news-list-item"><h2><a href="{_e(self.item(i))}">'
                f'{_e(self.title(i))}</a></h2><p class="bodytext">{_e(self.teaser(i))}</p>'
                f'<p class="news-list-more"><a href="{_e(self.item(i))}">Read more</a></p></div>'
            )
        more = (f'<p><a href="{_e(self.news_list(p + 1))}">Older news</a></p>'
                if p + 1 < self.lists else "")
        content = ('<div class="csc-header csc-header-n1"><h1 class="csc-firstHeader">News</h1>'
                   f'</div><div class="news-list-container">{"".join(items)}</div>{more}')
        return self.page("News", content)

    def wp_page(self, w: int) -> bytes:
        parts = "".join(f'<li><a href="{self.part(w, k)}">Part {k + 1} of WP {w + 1}</a></li>'
                        for k in range(3))
        content = (f'<div class="csc-header csc-header-n1"><h1 class="csc-firstHeader">'
                   f'Work Package {w + 1}</h1></div><ul class="csc-menu csc-menu-1">{parts}</ul>')
        return self.page(f"Work Package {w + 1}", content)

    def part_page(self, w: int, k: int) -> bytes:
        milestones = "".join(
            f'<p class="bodytext"><b>Milestone {m + 1} ({period})</b></p>'
            f'<p class="bodytext">{LOREM}</p>'
            for m, period in enumerate(PERIODS)
        )
        content = (f'<div class="csc-header csc-header-n1"><h1 class="csc-firstHeader">'
                   f'Part {k + 1} of WP {w + 1}</h1></div>'
                   f'<p class="bodytext">Work within this work package was started. {LOREM}</p>'
                   f'{milestones}<p class="bodytext"><i>Actual implementation of actions is '
                   "delayed.</i></p>")
        rootline = f'<a href="{self.wp(w)}">Work Package {w + 1}</a>'
        return self.page(f"Part {k + 1} of WP {w + 1}", content, rootline)

    def city_page(self, c: int) -> bytes:
        name = f"{CITIES[c % len(CITIES)]} {c + 1}"
        content = (f'<div class="csc-header csc-header-n1"><h1 class="csc-firstHeader">{_e(name)}'
                   f'</h1></div><p class="bodytext">{_e(name)} is a partner city. {LOREM}</p>'
                   f'<p class="bodytext">Population: {100_000 + c}. Budget: 5 € per head. '
                   f'See <a href="{self.city((c + 1) % self.cities)}">the next city</a>.</p>')
        return self.page(name, content)

    def home_page(self) -> bytes:
        links = [f'<li><a href="{self.wp(w)}">Work Package {w + 1}</a></li>'
                 for w in range(self.work_packages)]
        links += [f'<li><a href="{self.city(c)}">City {c + 1}</a></li>' for c in range(self.cities)]
        content = ('<div class="csc-header csc-header-n1"><h1 class="csc-firstHeader">Welcome'
                   '</h1></div><p class="bodytext">The BaltMet Inno project.</p>'
                   f'<ul>{"".join(links)}</ul>')
        return self.page("Welcome", content)

    def files(self):
        self._latest = self.latest()
        yield "index.php?id=1", self.home_page()
        for p in range(self.lists):
            yield self.news_list(p), self.news_list_page(p)
        for i in range(self.news):
            yield self.item(i), self.news_item_page(i)
        for w in range(self.work_packages):
            yield self.wp(w), self.wp_page(w)
            for k in range(3):
                yield self.part(w, k), self.part_page(w, k)
        for c in range(self.cities):
            yield self.city(c), self.city_page(c)


def generate(root: Path, pages: int) -> int:
    """Write the site under ``root/pub/``; returns the number of pages written."""
    folder = root / "pub"
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for url, body in Site(pages).files():
        (folder / f"{url}.html").write_bytes(body)
        count += 1
    return count
