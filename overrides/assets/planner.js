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

  /* The markup is in the page's <template> elements (planner.html); the script copies
     one and fills in text and addresses only. */
  function copy(id) {
    return document.getElementById(id).content.cloneNode(true);
  }

  function reason(text) {
    var li = copy("dl-planner-reason").firstElementChild;
    li.textContent = text;
    return li;
  }

  function alternative(path) {
    var li = copy("dl-planner-alternative").firstElementChild;
    var link = li.querySelector(".dl-planner__alternative-link");
    link.textContent = path.title[lang];
    link.setAttribute("href", pathsBase + path.id + "/");
    li.querySelector(".dl-planner__alternative-weeks").textContent = path.weeks;
    li.querySelector(".dl-planner__alternative-approach").textContent = t("approach." + path.approach);
    if (!path.ours) li.querySelector(".dl-planner__alternative-ours").remove();
    return li;
  }

  function show(ranking, profile) {
    var best = ranking[0];
    var href = pathsBase + best.path.id + "/";
    var link = result.querySelector(".dl-planner__link");
    link.textContent = best.path.title[lang];
    link.setAttribute("href", href);
    result.querySelector(".dl-planner__start").setAttribute("href", href);
    result.setAttribute("data-recommended", best.path.id);
    var reasons = result.querySelector(".dl-planner__reasons");
    reasons.textContent = "";
    reasons.appendChild(reason(t(best.fits ? "planner.why_fits" : "planner.why_too_long", { weeks: best.path.weeks })));
    var goalName = t("goal." + profile.goal);
    reasons.appendChild(reason(t(best.goal ? "planner.why_goal" : "planner.why_no_goal", { goal: goalName })));
    if (profile.order !== "any" && best.path.approach === profile.order) {
      reasons.appendChild(reason(t("planner.why_order", { order: t("approach." + best.path.approach) })));
    }
    if (best.path.ours) reasons.appendChild(reason(t("editors.path_ours")));
    result.querySelector(".dl-planner__assumption").textContent =
      t("planner.assumption", { weeks: Math.round(best.available * 10) / 10 });
    var others = result.querySelector(".dl-planner__alternatives");
    others.textContent = "";
    ranking.slice(1, 3).forEach(function (entry) { others.appendChild(alternative(entry.path)); });
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
    error.textContent = "";
    error.appendChild(copy("dl-planner-load-failed"));
    form.querySelector("button[type=submit]").disabled = true;
    form.setAttribute("data-failed", "");  // tests wait for this
  });
})();
