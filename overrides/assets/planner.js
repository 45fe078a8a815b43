/* Study planner: recommends a learning path from time, goal and preferred order. */
(function () {
  "use strict";
  var form = document.getElementById("dl-planner");
  if (!form) return;
  var t = window.dlGuide.t;
  var lang = form.getAttribute("data-lang");
  var pathsBase = form.getAttribute("data-paths");
  var result = document.getElementById("dl-planner-result");
  var error = document.querySelector(".dl-planner__error");
  var HOURS_PER_STANDARD_WEEK = 10;  // the paths' durations assume about 10 hours a week
  var TOLERANCE = 1.15;              // a path 15% longer than the time available still fits

  /* Score every path; the best first. Pure: profile and paths in, ranking out. */
  function rank(profile, paths) {
    var available = profile.weeks * profile.hours / HOURS_PER_STANDARD_WEEK;
    return paths.map(function (path) {
      var fits = path.weeks <= available * TOLERANCE;
      var score = 0;
      var goal = path.goals.indexOf(profile.goal) >= 0;
      if (goal) score += 5;
      if (profile.order !== "any") {
        if (path.approach === profile.order) score += 3;
        else if (path.approach === "balanced") score += 1;
      }
      if (fits) score += 2 * Math.min(path.weeks / available, 1);  // use the time well
      else score -= 5 + 10 * (path.weeks / available - 1);
      return { path: path, score: score, fits: fits, goal: goal, available: available };
    }).sort(function (a, b) { return b.score - a.score || a.path.weeks - b.path.weeks; });
  }

  function item(text) {
    var li = document.createElement("li");
    li.textContent = text;
    return li;
  }

  function show(ranking, profile) {
    var best = ranking[0];
    var href = pathsBase + best.path.id + "/";
    var link = result.querySelector(".dl-planner__link");
    link.textContent = best.path.title[lang];
    link.href = href;
    result.querySelector(".dl-planner__start").href = href;
    result.setAttribute("data-recommended", best.path.id);
    var reasons = result.querySelector(".dl-planner__reasons");
    reasons.textContent = "";
    reasons.appendChild(item(t(best.fits ? "planner.why_fits" : "planner.why_too_long", { weeks: best.path.weeks })));
    var goalName = t("goal." + profile.goal);
    reasons.appendChild(item(t(best.goal ? "planner.why_goal" : "planner.why_no_goal", { goal: goalName })));
    if (profile.order !== "any" && best.path.approach === profile.order) {
      reasons.appendChild(item(t("planner.why_order", { order: t("approach." + best.path.approach) })));
    }
    if (best.path.ours) reasons.appendChild(item(t("editors.path_ours")));
    result.querySelector(".dl-planner__assumption").textContent =
      t("planner.assumption", { weeks: Math.round(best.available * 10) / 10 });
    var others = result.querySelector(".dl-planner__alternatives");
    others.textContent = "";
    ranking.slice(1, 3).forEach(function (entry) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = pathsBase + entry.path.id + "/";
      a.textContent = entry.path.title[lang];
      li.appendChild(a);
      li.appendChild(document.createTextNode(" · " + entry.path.weeks + " " + t("path.weeks") + " · " + t("approach." + entry.path.approach)
        + (entry.path.ours ? " · " + t("editors.path_ours_short") : "")));
      others.appendChild(li);
    });
    result.hidden = false;
  }

  window.dlGuide.loadCatalog(form.getAttribute("data-catalog")).then(function (catalog) {
    form.setAttribute("data-ready", "");  // tests wait for this
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var profile = {
        weeks: parseFloat(form.elements.weeks.value),
        hours: parseFloat(form.elements.hours.value),
        goal: form.elements.goal.value,
        order: form.querySelector("input[name=order]:checked").value
      };
      if (!(profile.weeks > 0) || !(profile.hours > 0)) {
        error.textContent = t("planner.invalid");
        result.hidden = true;
        return;
      }
      error.textContent = "";
      show(rank(profile, catalog.paths), profile);
      result.querySelector(".dl-planner__link").focus();
    });
  }).catch(function () {
    /* No catalogue (offline, a failed deploy): say so, point to the comparison table,
       and keep the button from doing nothing. */
    error.textContent = t("planner.load_failed") + " ";
    var table = document.createElement("a");
    table.href = pathsBase;
    table.textContent = t("nav.paths_compare");
    error.appendChild(table);
    form.querySelector("button[type=submit]").disabled = true;
    form.setAttribute("data-failed", "");  // tests wait for this
  });
})();
