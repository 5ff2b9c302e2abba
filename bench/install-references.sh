#!/usr/bin/env bash
# Installs the reference implementations the benchmarks compare against, from Debian, when they
# are missing: PyTorch (rows 1-2), faiss + scikit-learn + numpy (rows 3-4), nbconvert (row 5).
# `npm run bench` runs this first and prints what it did; a reference that still cannot be
# installed (no root, no apt, offline) only makes its rows say "skipped" with the reason.
# Usage: bash bench/install-references.sh        (exit status 0 even when something is missing)
set -u
PY=/usr/bin/python3
declare -A CHECK=(
  [python3-torch]="$PY -c 'import torch'"
  [python3-faiss]="$PY -c 'import faiss'"
  [python3-sklearn]="$PY -c 'import sklearn'"
  [jupyter-nbconvert]="test -x /usr/bin/jupyter-nbconvert"
)
missing=()
for pkg in python3-torch python3-faiss python3-sklearn jupyter-nbconvert; do
  if eval "${CHECK[$pkg]}" >/dev/null 2>&1; then
    echo "install-references: $pkg present"
  else
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-references: all references present, nothing installed"
  exit 0
fi
echo "install-references: installing from Debian: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "install-references: not root and no sudo: cannot install ${missing[*]}; their rows will be skipped"
    exit 0
  fi
fi
# The lock keeps concurrent installs (several checkouts on one machine) from fighting over dpkg.
LOCK=(); command -v flock >/dev/null 2>&1 && LOCK=(flock /tmp/apt.lock)
if ! "${LOCK[@]}" $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; then
  "${LOCK[@]}" $SUDO apt-get update -qq || true
  "${LOCK[@]}" $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" ||
    echo "install-references: apt-get failed for ${missing[*]}; rows that need them will be skipped"
fi
exit 0
