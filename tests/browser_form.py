"""Submit an HTML form as a browser would: the test client's POST data from a page's markup."""

from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "image", "file", "reset"}


class FormParser(HTMLParser):
    """Collects the (name, value) pairs a browser submits for the form with the given id."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.pairs = []
        self.select = None  # (name, multiple, [(value, selected)])
        self.option = None
        self.textarea = None  # (name, [text])

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.pairs.append((name, attributes.get("value", "on")))
            elif kind not in SKIPPED_INPUTS:
                self.pairs.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self.select = (name, "multiple" in attributes, [])
        elif tag == "option" and self.select is not None:
            self.option = [attributes.get("value"), "selected" in attributes, ""]
            self.select[2].append(self.option)
        elif tag == "textarea" and name:
            self.textarea = (name, [])

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)
        if self.option is not None:
            self.option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, multiple, options = self.select
            chosen = [o for o in options if o[1]] or ([] if multiple else options[:1])
            self.pairs += [(name, value if value is not None else text.strip()) for value, _, text in chosen]
            self.select = None
        elif tag == "option":
            self.option = None
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            text = "".join(parts)
            # A browser drops one line break right after <textarea>.
            self.pairs.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None


def form_data(html, form_id):
    """Return {name: [values]} a browser would POST for the form `form_id` of `html`, left as it is.

    A dict of lists, not a QueryDict: the test client posts every value of a
    list, but only the last of a QueryDict's.
    """
    parser = FormParser(form_id)
    parser.feed(html)
    data = {}
    for name, value in parser.pairs:
        data.setdefault(name, []).append(value)
    return data
