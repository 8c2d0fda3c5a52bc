#!/usr/bin/env bash
# Re-executes the tcpmem notebooks top to bottom with the project's tslab kernel and writes them back
# in place WITH their outputs (charts as SVG), so they read well on a code host.
#
# usage: scripts/run-notebooks.sh [--check | --output-dir=DIR] [--no-build] [notebooks/NN-name.ipynb ...]
#   (no files)   every notebooks/[0-9]*.ipynb, in name order
#   --check      execute into a temporary folder and leave the committed notebooks untouched
#   --output-dir=DIR  write the executed copies to DIR instead of in place
#                (what test/notebooks/notebooks.test.ts does, to inspect the outputs)
#   --no-build   do not rebuild dist/ first (the notebooks import the compiled model from dist/)
# Environment: TCPMEM_CELL_TIMEOUT_S (default 300) per-cell timeout; TCPMEM_JUPYTER_PYTHON to pick the
#   Python that has Debian's Jupyter (default /usr/bin/python3, then python3 on PATH).
# A notebook is replaced only after it executed without error; a failing one is left as it was and
# its error is printed. Exit codes: 0 all executed; 1 some notebook failed; 2 bad option or file;
# 3 environment (Jupyter, tslab or the kernel spec missing: run scripts/setup-jupyter.sh).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kernels_dir="$repo/notebooks/.jupyter-kernels"
check=0
build=1
out_dir=""

files=()
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    --no-build) build=0 ;;
    --output-dir=*) out_dir="${arg#--output-dir=}"; check=1 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-notebooks.sh: unknown option '$arg' (allowed: --check, --output-dir=DIR, --no-build, --help)" >&2; exit 2 ;;
    *) files+=("$arg") ;;
  esac
done
if [ "${#files[@]}" -eq 0 ]; then
  shopt -s nullglob
  files=("$repo"/notebooks/[0-9]*.ipynb)
  shopt -u nullglob
  [ "${#files[@]}" -gt 0 ] || { echo "run-notebooks.sh: no notebooks/[0-9]*.ipynb found" >&2; exit 2; }
fi
for f in "${files[@]}"; do
  [ -f "$f" ] && [[ "$f" == *.ipynb ]] || { echo "run-notebooks.sh: not a notebook file: $f" >&2; exit 2; }
done

py=""
for c in "${TCPMEM_JUPYTER_PYTHON:-}" /usr/bin/python3 "$(command -v python3 || true)"; do
  [ -n "$c" ] && [ -x "$c" ] || continue
  if "$c" -c 'import nbconvert, nbclient, jupyter_client, ipykernel' >/dev/null 2>&1; then py="$c"; break; fi
done
if [ -z "$py" ]; then
  echo "run-notebooks.sh: Jupyter (nbconvert, nbclient) not found; run scripts/setup-jupyter.sh" >&2
  exit 3
fi
if [ ! -f "$repo/node_modules/tslab/bin/tslab" ] || [ ! -f "$kernels_dir/kernels/tslab/kernel.json" ]; then
  echo "run-notebooks.sh: tslab (node_modules) or its kernel spec ($kernels_dir) is missing; run npm ci and scripts/setup-jupyter.sh" >&2
  exit 3
fi

if [ "$build" = 1 ]; then
  echo "building dist/"
  (cd "$repo" && npx tsc -p tsconfig.build.json >/dev/null) || echo "  (tsc reported type errors; dist/ was emitted anyway)"
fi
[ -f "$repo/dist/notebooks/lib/index.js" ] || { echo "run-notebooks.sh: dist/notebooks/lib is missing: build with npx tsc -p tsconfig.build.json" >&2; exit 3; }

export JUPYTER_PATH="$kernels_dir${JUPYTER_PATH:+:$JUPYTER_PATH}"
export PYDEVD_DISABLE_FILE_VALIDATION=1 TZ=UTC LC_ALL=C.UTF-8
timeout_s="${TCPMEM_CELL_TIMEOUT_S:-300}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

failed=()
for f in "${files[@]}"; do
  name="$(basename "$f")"
  start=$SECONDS
  # The kernel runs in the notebook's own folder (nbconvert uses the input's directory), so
  # `../dist/...` imports resolve; only the output goes to the temporary folder.
  # allow_errors: let nbclient save the outputs, so the check below can print the error's text: tslab
  # writes TypeScript compile errors to the cell's stderr (the reply carries no message), runtime
  # errors as error outputs. Either one fails the notebook; a cell must not write to stderr.
  status=ok
  if ! "$py" -Xfrozen_modules=off -m jupyter nbconvert --execute --to notebook \
      --ExecutePreprocessor.kernel_name=tslab \
      --ExecutePreprocessor.timeout="$timeout_s" \
      --ExecutePreprocessor.record_timing=False \
      --ExecutePreprocessor.allow_errors=True \
      --output-dir "$tmp" --output "$name" "$f" >"$tmp/$name.log" 2>&1; then
    status=failed
    grep -v 'Debugger warning\|frozen modules\|Xfrozen_modules\|PYDEVD' "$tmp/$name.log" | tail -40 | sed 's/^/      /'
  elif ! "$py" - "$tmp/$name" >"$tmp/$name.errors" <<'PY'
import json, re, sys
path = sys.argv[1]
nb = json.load(open(path))
for i, cell in enumerate(nb["cells"]):
    for out in cell.get("outputs", []):
        is_stderr = out.get("output_type") == "stream" and out.get("name") == "stderr"
        if out.get("output_type") == "error" or is_stderr:
            src = "".join(cell["source"])
            if is_stderr:
                tb = "".join(out.get("text", ""))
            else:
                tb = "\n".join(out.get("traceback") or []) or f'{out.get("ename")}: {out.get("evalue")}'
            clean = re.sub(r"\x1b\[[0-9;]*m", "", tb)
            print(f"cell {i}:\n{src}\n---\n{clean}")
            sys.exit(1)
# tslab replies without an execution count; number the code cells in the order this run executed them,
# so the saved notebook shows that every cell ran.
n = 0
for cell in nb["cells"]:
    if cell["cell_type"] == "code":
        n += 1
        cell["execution_count"] = n
        for out in cell.get("outputs", []):
            if out.get("output_type") == "execute_result":
                out["execution_count"] = n
with open(path, "w") as f:
    json.dump(nb, f, indent=1, ensure_ascii=False)
    f.write("\n")
PY
  then
    status=failed
    head -60 "$tmp/$name.errors" | sed 's/^/      /'
  fi
  if [ "$status" = ok ]; then
    if [ -n "$out_dir" ]; then
      mkdir -p "$out_dir" && cp "$tmp/$name" "$out_dir/$name"
    elif [ "$check" = 0 ]; then
      cp "$tmp/$name" "$f.tmp.$$" && mv "$f.tmp.$$" "$f"
    fi
    echo "ok    $name ($((SECONDS - start)) s)"
  else
    failed+=("$name")
    echo "FAIL  $name ($((SECONDS - start)) s)"
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "run-notebooks.sh: ${#failed[@]} notebook(s) failed: ${failed[*]}" >&2
  exit 1
fi
