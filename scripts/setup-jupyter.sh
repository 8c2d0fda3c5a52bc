#!/usr/bin/env bash
# Sets up Jupyter for the tcpmem notebooks (docs/notebooks.md):
#  1. Jupyter from Debian packages (nbconvert, nbclient, IPython, ipykernel, jupyter-client, and
#     jupyter-notebook for the browser UI). As root it installs what is missing; otherwise it prints the
#     exact apt-get command and exits 3.
#  2. The tslab kernel: a kernel spec kept in the project (notebooks/.jupyter-kernels/kernels/tslab,
#     found through JUPYTER_PATH), so nothing global is registered. tslab itself is an npm dependency.
#  3. Builds dist/ (notebooks import the compiled model) and executes a one-cell notebook as a smoke test.
# Options: --no-browser-ui  skip jupyter-notebook (enough for scripts/run-notebooks.sh and the tests).
# Exit codes: 0 ready; 3 environment problem (missing packages without root, node_modules missing, smoke test failed).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kernels_dir="$repo/notebooks/.jupyter-kernels"
browser_ui=1
for arg in "$@"; do
  case "$arg" in
    --no-browser-ui) browser_ui=0 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup-jupyter.sh: unknown option '$arg' (allowed: --no-browser-ui, --help)" >&2; exit 2 ;;
  esac
done

pkgs=(jupyter-nbconvert python3-nbclient python3-ipython python3-ipykernel jupyter-client)
[ "$browser_ui" = 1 ] && pkgs+=(jupyter-notebook)

# Debian's Jupyter runs under /usr/bin/python3; `python3` on PATH may be a pyenv/venv shim without it.
find_jupyter_python() {
  local c
  for c in "${TCPMEM_JUPYTER_PYTHON:-}" /usr/bin/python3 "$(command -v python3 || true)"; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    if "$c" -c 'import nbconvert, nbclient, jupyter_client, ipykernel, IPython' >/dev/null 2>&1; then
      echo "$c"; return 0
    fi
  done
  return 1
}

missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Jupyter packages missing: ${missing[*]}" >&2
    echo "Run as root:  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    echo "then run scripts/setup-jupyter.sh again." >&2
    exit 3
  fi
  echo "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! py="$(find_jupyter_python)"; then
  echo "setup-jupyter.sh: no Python with nbconvert, nbclient, jupyter_client, ipykernel and IPython found" >&2
  echo "  (tried \$TCPMEM_JUPYTER_PYTHON, /usr/bin/python3, python3 on PATH)." >&2
  exit 3
fi

if [ ! -f "$repo/node_modules/tslab/bin/tslab" ]; then
  echo "setup-jupyter.sh: node_modules/tslab is missing; run 'npm ci' in $repo first." >&2
  exit 3
fi
if [ ! -f "$kernels_dir/kernels/tslab/kernel.json" ]; then
  echo "setup-jupyter.sh: kernel spec $kernels_dir/kernels/tslab/kernel.json is missing from the checkout." >&2
  exit 3
fi

export JUPYTER_PATH="$kernels_dir${JUPYTER_PATH:+:$JUPYTER_PATH}"
export PYDEVD_DISABLE_FILE_VALIDATION=1
specs="$("$py" -Xfrozen_modules=off -m jupyter kernelspec list 2>/dev/null || true)"
if ! grep -q "^ *tslab " <<<"$specs"; then
  echo "setup-jupyter.sh: Jupyter does not see the tslab kernel spec in $kernels_dir" >&2
  exit 3
fi

echo "building dist/ (notebooks import the compiled model)"
(cd "$repo" && npx tsc -p tsconfig.build.json >/dev/null) || echo "  (tsc reported type errors; dist/ was emitted anyway)"

# Smoke test: execute a one-cell notebook with the tslab kernel.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/smoke.ipynb" <<'NB'
{"cells": [{"cell_type": "code", "execution_count": null, "id": "smoke", "metadata": {}, "outputs": [],
  "source": ["const answer: number = 6 * 7;\n", "answer"]}],
 "metadata": {"kernelspec": {"display_name": "TypeScript (tcpmem, tslab)", "language": "typescript", "name": "tslab"}},
 "nbformat": 4, "nbformat_minor": 5}
NB
if ! "$py" -Xfrozen_modules=off -m jupyter nbconvert --execute --to notebook --ExecutePreprocessor.timeout=120 \
    --output-dir "$tmp/out" "$tmp/smoke.ipynb" >"$tmp/log" 2>&1 || ! grep -q '"42\\n"' "$tmp/out/smoke.ipynb"; then
  echo "setup-jupyter.sh: the tslab kernel did not execute a test cell:" >&2
  cat "$tmp/log" >&2
  exit 3
fi

echo "Jupyter is ready: $py, tslab kernel from $kernels_dir"
echo
echo "Re-execute every notebook in place:  scripts/run-notebooks.sh"
if [ "$browser_ui" = 1 ]; then
  echo "Browser UI:  JUPYTER_PATH=$kernels_dir $py -m notebook --notebook-dir=$repo/notebooks"
  echo "             (then pick the kernel \"TypeScript (tcpmem, tslab)\"; remote: add --ip=0.0.0.0 --no-browser)"
fi
