/* Resource explorer: filters the server-rendered cards; state lives in the query string. */
(function () {
  "use strict";
  var form = document.getElementById("dl-explorer");
  if (!form) return;
  var FIELDS = ["q", "topic", "type", "level", "cost", "available", "current"];
  var results = document.getElementById("dl-explorer-results");
  var cards = Array.prototype.slice.call(results.querySelectorAll("article[data-resource]"));
  var count = form.querySelector(".dl-explorer__count");
  var none = document.querySelector(".dl-explorer__none");
  var byId = {};

  function valueOf(name) {  // a checkbox counts only when ticked
    var control = form.elements[name];
    if (control.type === "checkbox") return control.checked ? control.value : "";
    return control.value.trim();
  }

  function readState() {
    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (name) {
      var control = form.elements[name];
      var value = params.get(name) || "";
      if (control.tagName === "SELECT" && !Array.prototype.some.call(control.options, function (o) { return o.value === value; })) {
        value = "";  // an unknown value in a shared link falls back to "any"
      }
      if (control.type === "checkbox") control.checked = value === control.value;
      else control.value = value;
    });
  }

  function writeState() {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) {
      var value = valueOf(name);
      if (value) params.set(name, value);
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(null, "", url);
  }

  function matches(resource, state) {
    if (state.topic && resource.topics.indexOf(state.topic) < 0) return false;
    if (state.type && resource.type !== state.type) return false;
    if (state.level && resource.level !== state.level) return false;
    if (state.cost && resource.cost !== state.cost) return false;
    if (state.available && resource.available.indexOf(state.available) < 0) return false;
    if (state.current && resource.status !== "current") return false;
    if (state.words.length) {
      for (var i = 0; i < state.words.length; i++) {
        if (resource.text.indexOf(state.words[i]) < 0) return false;
      }
    }
    return true;
  }

  function apply() {
    var state = {};
    FIELDS.forEach(function (name) { state[name] = valueOf(name); });
    state.words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var resource = byId[card.getAttribute("data-resource")];
      var visible = !resource || matches(resource, state);
      card.hidden = !visible;
      if (visible) shown += 1;
    });
    count.textContent = window.dlGuide.t("explorer.showing", { shown: shown, total: cards.length });
    none.hidden = shown > 0;
  }

  function update() {
    apply();
    writeState();
  }

  window.dlGuide.loadCatalog(form.getAttribute("data-catalog")).then(function (catalog) {
    catalog.resources.forEach(function (resource) { byId[resource.id] = resource; });
    readState();
    form.setAttribute("data-ready", "");  // tests wait for this
    apply();
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {
      // Runs before the browser resets the controls; filter once they are cleared.
      window.setTimeout(update, 0);
    });
    window.addEventListener("popstate", function () { readState(); apply(); });
  }).catch(function () {
    /* Without the catalogue the full list stays visible, as without JavaScript. */
  });
})();
