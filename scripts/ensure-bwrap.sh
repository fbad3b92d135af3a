#!/usr/bin/env bash
# The grader runs each submission's kernel under bubblewrap (Debian's package `bubblewrap`).
# Installs it through apt-get when missing, then checks that it can create its namespaces here.
set -euo pipefail
if ! command -v bwrap >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null
  else
    echo "bubblewrap is missing: run 'sudo apt-get install -y bubblewrap' (the grader's sandbox)" >&2
    exit 1
  fi
fi
if ! bwrap --unshare-all --ro-bind / / true 2>/dev/null; then
  echo "warning: bwrap cannot create namespaces here (user namespaces disabled?); the grader will use" \
       "its fallback and say so" >&2
fi
