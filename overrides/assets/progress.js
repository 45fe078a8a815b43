/* Learning-path progress: ticks kept in localStorage per path, shared by both languages. */
(function () {
  "use strict";
  var section = document.getElementById("dl-progress");
  if (!section) return;
  var t = window.dlGuide.t;
  var PREFIX = "dl-guide:progress:";
  var FORMAT = "dl-guide-progress";
  var VERSION = 1;
  var MAX_BYTES = 200000;
  var pathId = section.getAttribute("data-path");
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".dl-step__check"));
  var bar = section.querySelector(".dl-progress__bar");
  var status = section.querySelector(".dl-progress__status");
  var message = section.querySelector(".dl-progress__message");
  var fileInput = section.querySelector(".dl-progress__file");
  var catalog = null;

  function load(id) {
    try {
      var value = JSON.parse(window.localStorage.getItem(PREFIX + id) || "[]");
      return Array.isArray(value) ? value.filter(function (k) { return typeof k === "string"; }) : [];
    } catch (error) {
      return [];
    }
  }

  function save(id, keys) {
    if (keys.length) window.localStorage.setItem(PREFIX + id, JSON.stringify(keys));
    else window.localStorage.removeItem(PREFIX + id);
  }

  function currentKeys() {
    return boxes.filter(function (box) { return box.checked; }).map(function (box) {
      return box.closest(".dl-step").getAttribute("data-step");
    });
  }

  /* Weeks left: each stage's duration shared equally by its steps. */
  function render() {
    var done = 0;
    var remaining = 0;
    Array.prototype.forEach.call(document.querySelectorAll(".dl-stage"), function (stage) {
      var steps = stage.querySelectorAll(".dl-step__check");
      var weeks = parseFloat(stage.getAttribute("data-weeks")) || 0;
      var open = 0;
      Array.prototype.forEach.call(steps, function (box) {
        if (box.checked) done += 1; else open += 1;
      });
      if (steps.length) remaining += weeks * open / steps.length;
    });
    var total = boxes.length;
    bar.value = total ? Math.round(100 * done / total) : 0;
    bar.setAttribute("aria-valuetext", t("progress.done", { done: done, total: total }));
    var text = t("progress.done", { done: done, total: total }) + " · ";
    text += done === total ? t("progress.finished") : t("progress.remaining", { weeks: Math.round(remaining * 10) / 10 });
    status.textContent = text;
    Array.prototype.forEach.call(document.querySelectorAll(".dl-step"), function (step) {
      var box = step.querySelector(".dl-step__check");
      step.classList.toggle("dl-step--done", !!(box && box.checked));
    });
  }

  function restore() {
    var keys = load(pathId);
    boxes.forEach(function (box) {
      box.checked = keys.indexOf(box.closest(".dl-step").getAttribute("data-step")) >= 0;
    });
    render();
  }

  function exportProgress() {
    var paths = {};
    catalog.paths.forEach(function (path) {
      var keys = load(path.id);
      if (keys.length) paths[path.id] = keys;
    });
    var data = { format: FORMAT, version: VERSION, exported: new Date().toISOString(), paths: paths };
    var blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    var link = section.querySelector(".dl-progress__download");  // its file name is in path.md
    var url = URL.createObjectURL(blob);
    var resting = link.getAttribute("href");  // a followable address while it waits (crawlers read it)
    link.setAttribute("href", url);
    link.click();
    window.setTimeout(function () { URL.revokeObjectURL(url); link.setAttribute("href", resting); }, 0);
  }

  /* Returns {path id: [step keys]} or throws an Error whose message is a reason key. */
  function parseProgress(text) {
    if (text.length > MAX_BYTES) throw new Error("progress.reason_size");
    var data;
    try { data = JSON.parse(text); } catch (error) { throw new Error("progress.reason_json"); }
    if (!data || typeof data !== "object" || data.format !== FORMAT || typeof data.paths !== "object" || data.paths === null || Array.isArray(data.paths)) {
      throw new Error("progress.reason_format");
    }
    if (data.version !== VERSION) throw new Error("progress.reason_version");
    var known = {};
    catalog.paths.forEach(function (path) {
      known[path.id] = [].concat.apply([], path.stages.map(function (stage) { return stage.steps; }));
    });
    Object.keys(data.paths).forEach(function (id) {
      var keys = data.paths[id];
      if (!Object.prototype.hasOwnProperty.call(known, id) || !Array.isArray(keys)) throw new Error("progress.reason_unknown");
      keys.forEach(function (key) {
        if (typeof key !== "string" || known[id].indexOf(key) < 0) throw new Error("progress.reason_unknown");
      });
    });
    return data.paths;
  }

  function importProgress(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var paths;
      try {
        paths = parseProgress(String(reader.result));
      } catch (error) {
        message.textContent = t("progress.refused", { reason: t(error.message) });
        message.className = "dl-progress__message dl-progress__message--error";
        return;
      }
      // Only after the whole file is valid: replace the progress of the paths it lists.
      Object.keys(paths).forEach(function (id) { save(id, paths[id]); });
      restore();
      message.textContent = t("progress.imported", { paths: Object.keys(paths).length });
      message.className = "dl-progress__message dl-progress__message--ok";
    };
    reader.readAsText(file);
  }

  // Ticks work at once; export and import also need the catalogue (every path's steps).
  boxes.forEach(function (box) {
    box.addEventListener("change", function () { save(pathId, currentKeys()); render(); });
  });
  restore();
  window.dlGuide.loadCatalog(section.getAttribute("data-catalog")).then(function (data) {
    catalog = data;
    section.setAttribute("data-ready", "");  // tests wait for this
    section.querySelector("[data-action=export]").addEventListener("click", exportProgress);
    section.querySelector("[data-action=import]").addEventListener("click", function () { fileInput.click(); });
    fileInput.addEventListener("change", function () {
      if (fileInput.files.length) importProgress(fileInput.files[0]);
      fileInput.value = "";
    });
    // Another tab (or the other language) changed the ticks.
    window.addEventListener("storage", function (event) {
      if (event.key === PREFIX + pathId) restore();
    });
  });
})();
