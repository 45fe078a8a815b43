/* Shared by the explorer, progress and planner scripts: strings and the catalogue. */
(function () {
  "use strict";
  var strings = null;
  window.dlGuide = {
    /* A UI string of the page's language, with {name} placeholders filled in. */
    t: function (key, values) {
      if (strings === null) {
        var node = document.getElementById("dl-strings");
        strings = node ? JSON.parse(node.textContent) : {};
      }
      var text = Object.prototype.hasOwnProperty.call(strings, key) ? strings[key] : key;
      return text.replace(/\{(\w+)\}/g, function (match, name) {
        return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
      });
    },
    /* The catalogue written at build time (assets/catalog.json). */
    loadCatalog: function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("catalog " + response.status);
        return response.json();
      });
    }
  };
})();
