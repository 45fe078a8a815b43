#!/usr/bin/env bash
# After `make links` in the weekly workflow: keep exactly one open "link-health" issue
# listing the current problems (link-report/issue.md), and close it when none remain.
set -euo pipefail
title="Link health: problems found by the weekly check"
body=link-report/issue.md
gh label create link-health --color d93f0b --description "Found by the weekly link check" --force >/dev/null
number=$(gh issue list --label link-health --state open --json number --jq '.[0].number // empty')
if [ -s "$body" ]; then
  if [ -n "$number" ]; then
    gh issue edit "$number" --body-file "$body"
  else
    gh issue create --title "$title" --label link-health --body-file "$body"
  fi
elif [ -n "$number" ]; then
  gh issue close "$number" --comment "The weekly link check found no problems."
fi
