// Name suggestions as one types, for every `.suggest` box (progressive enhancement:
// without this file the box is a plain search form that lists the matches).
//
// The box follows the ARIA combobox pattern: the input is a combobox that
// controls a listbox of options; Up and Down move through them, Enter
// chooses, Escape closes; a polite live region says how many there are.
// data-suggest-url: the JSON endpoint (?q=); data-suggest-choose: "page"
// opens the person's page, "filter" adds them to the visit list's filters
// (the input's own form carries the other filters as hidden fields).
(function () {
  "use strict";

  var MIN_LETTERS = 2;
  var DELAY_MS = 120;
  var boxes = document.querySelectorAll(".suggest[data-suggest-url]");

  boxes.forEach(function (box, boxIndex) {
    var input = box.querySelector("input[type=search]");
    if (!input) { return; }
    var listId = "suggest-list-" + boxIndex;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggested officials");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.appendChild(list);
    box.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(found) {
      results = found;
      list.textContent = "";
      found.forEach(function (person, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "suggest-name";
        name.textContent = person.name;
        var detail = document.createElement("span");
        detail.className = "suggest-detail";
        detail.textContent = [person.detail, person.visits + (person.visits === 1 ? " visit" : " visits")]
          .filter(Boolean).join(" · ");
        option.appendChild(name);
        option.appendChild(document.createTextNode(" "));
        option.appendChild(detail);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input until we leave the page
          choose(i);
        });
        list.appendChild(option);
      });
      var open = found.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = found.length ? found.length + " suggestions: use the arrow keys" : "No suggestions";
    }

    function choose(index) {
      var person = results[index];
      if (!person) { return; }
      if (box.getAttribute("data-suggest-choose") === "filter") {
        var params = new URLSearchParams(new FormData(input.form));
        ["fq", "page"].forEach(function (key) { params.delete(key); });
        if (params.getAll("official").indexOf(person.slug) === -1) { params.append("official", person.slug); }
        window.location.assign(box.getAttribute("data-suggest-list") + "?" + params.toString());
      } else {
        window.location.assign(person.url);
      }
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < MIN_LETTERS) { close(); return; }
      var number = ++asked;
      var url = box.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (number === asked) { render(data.results || []); } })
        .catch(function () { if (number === asked) { close(); } });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && results.length > 0;
      if (event.key === "ArrowDown" && open) {
        event.preventDefault();
        highlight((active + 1) % results.length);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active <= 0 ? results.length - 1 : active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  });
})();
