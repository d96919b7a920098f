"""An editor at a browser, as far as the server can tell: logs in to the
Wagtail admin and submits its page forms, with the CSRF token and cookies
a browser would send."""

import bs4
import requests

#: Datetime format of Wagtail's admin date pickers.
ADMIN_DATETIME = "%Y-%m-%d %H:%M:%S"


class Editor:
    def __init__(self, base_url, username, password=None, session=None):
        self.base = base_url
        self.session = requests.Session()
        if session is not None:  # the same editor in another browser tab
            self.session.cookies.update(session.cookies)
            return
        form = self.form("/admin/login/")
        form.update(username=username, password=password)
        response = self.post("/admin/login/", form)
        assert "/admin/login/" not in response.url, "login failed"

    def another_tab(self):
        return Editor(self.base, None, session=self.session)

    def form(self, path):
        """The values a browser would submit from the page's main form."""
        response = self.session.get(self.base + path, timeout=30)
        assert response.status_code == 200, (path, response.status_code)
        soup = bs4.BeautifulSoup(response.text, "html.parser")
        [form] = [
            form for form in soup.find_all("form")
            if form.find("input", {"name": ("title", "username")})
        ]
        values = {}
        for field in form.find_all(["input", "textarea"]):
            name = field.get("name")
            if not name or (field.get("type") == "checkbox" and not field.has_attr("checked")):
                continue
            values[name] = field.text if field.name == "textarea" else field.get("value", "")
        return values

    def post(self, path, data, follow=True):
        return self.session.post(
            self.base + path, data=data, headers={"Referer": self.base + path}, timeout=60,
            allow_redirects=follow,
        )

    def publish_news(self, index_id, title, slug, go_live_at=None, follow=True):
        """Add a news page under the index and press "Publish" (or schedule
        it, with ``go_live_at``); the response once the server is done
        (without ``follow``, before the browser would load the next page)."""
        path = f"/admin/pages/add/cms/newspage/{index_id}/"
        form = self.form(path)
        form.update(title=title, slug=slug, date="2024-06-01", summary=f"About {title}")
        if go_live_at is not None:
            form["go_live_at"] = go_live_at.strftime(ADMIN_DATETIME)
        form["action-publish"] = "action-publish"
        response = self.post(path, form, follow)
        # Wagtail redirects after saving; a form with errors comes back instead.
        redirect = response.history[0] if follow and response.history else response
        assert redirect.status_code == 302, (response.status_code, response.text[-2000:])
        return response
