#!/usr/bin/env bash
# The GPU checks of the webgpu backend, prepared for a machine with a GPU that reaches nothing
# (no npm, no apt): it gets a copy of the working tree plus what `pack` put in out/gpu-carry/.
#
#   bench/gpu-check.sh pack   here, after `npm run build`: writes out/gpu-carry/ (node binary,
#                             the node_modules files a traced run opened, the Vulkan loader .deb)
#                             and prints its size (the device tool carries at most 64 MiB)
#   bench/gpu-check.sh run    there, from the repository root, e.g. through the device tool with
#                             carry ["dist", "out/gpu-carry"]: unpacks what is missing, then runs
#                             each check under its own time limit (total under 8 minutes) and
#                             writes the logs and summary.txt to $OUT (default out/gpu-check)
#
# The checks, all with METRICLAB_BACKEND=webgpu: `metriclab info` (which adapter, hardware or
# not), the parity file, bench rows 1-2 (training step; losses + miners), notebook 01 in the full
# profile trimmed with -p steps (on the shipped data subsets unless full datasets are carried),
# and tfjs-node-gpu if it is installed there (it downloads libtensorflow at install time, so it
# cannot be installed on a machine that reaches nothing; the summary says so).
set -uo pipefail
cd "$(dirname "$0")/.."
CARRY=out/gpu-carry

pack() {
  set -e
  [ -f dist/index.js ] || { echo "gpu-check pack: run npm run build first" >&2; exit 1; }
  command -v strace >/dev/null || { echo "gpu-check pack: needs strace (apt-get install strace)" >&2; exit 1; }
  rm -rf "$CARRY" && mkdir -p "$CARRY/debs"
  # Which node_modules files the checks open: trace a short version of them here, on wasm (the
  # webgpu backend's files are opened by `info`, which loads Dawn even when it skips it).
  local trace=$CARRY/trace.txt
  strace -f -qq -e trace=openat,open,execve -o "$trace.raw" bash -c '
    node bin/metriclab.js info >/dev/null 2>&1
    METRICLAB_BACKEND=webgpu node bin/metriclab.js info >/dev/null 2>&1
    METRICLAB_BACKEND=wasm node bin/metriclab.js parity test/fixtures/parity.json >/dev/null 2>&1
    METRICLAB_BACKEND=wasm node --import tsx bench/train/run.ts --repeats 1 mlp >/dev/null 2>&1
    METRICLAB_BACKEND=wasm node --import tsx bench/losses/bench.ts --repeats 1 >/dev/null 2>&1
    METRICLAB_BACKEND=wasm node bin/metriclab.js run -p profile quick -p steps 2 --out out/gpu-carry-trace \
      notebooks/01-classification-vs-metric-learning.ipynb >/dev/null 2>&1
  ' || true
  grep -v ENOENT "$trace.raw" | grep -o '"[^"]*node_modules/[^"]*"' | tr -d '"' |
    sed "s|^$PWD/||" | grep '^node_modules/' | sort -u |
    while read -r f; do [ -f "$f" ] && echo "$f"; done >"$trace"
  # tsx's esbuild runs as a separate binary (exec'd, not opened): make sure it travels.
  ls node_modules/@esbuild/*/bin/esbuild node_modules/@esbuild/*/package.json >>"$trace" 2>/dev/null || true
  sort -u -o "$trace" "$trace"
  rm -rf "$trace.raw" out/gpu-carry-trace
  tar -cf - -T "$trace" | xz -T0 -6 >"$CARRY/node_modules.tar.xz"
  xz -T0 -6 -c "$(command -v node)" >"$CARRY/node.xz"
  if command -v apt-get >/dev/null; then
    (cd "$CARRY/debs" && apt-get download libvulkan1 >/dev/null 2>&1) || echo "gpu-check pack: could not download libvulkan1"
  fi
  echo "gpu-check pack: $(wc -l <"$trace") node_modules files; sizes:"
  du -sh "$CARRY"/* dist
  echo "total carried: $(du -sch "$CARRY" dist | tail -1 | cut -f1) (the device tool's limit is 64 MiB with the working tree)"
}

OUTDIR=${OUT:-out/gpu-check}
SUMMARY=$OUTDIR/summary.txt

# step NAME SECONDS COMMAND...: runs COMMAND with a time limit, its output to NAME.log.
step() {
  local name=$1 limit=$2 start rc
  shift 2
  start=$(date +%s)
  timeout --kill-after=10 "$limit" "$@" >"$OUTDIR/$name.log" 2>&1
  rc=$?
  local verdict=ok
  [ $rc -eq 124 ] && verdict="TIMED OUT after ${limit}s"
  [ $rc -ne 0 ] && [ $rc -ne 124 ] && verdict="FAILED (exit $rc)"
  echo "$name: $verdict, $(($(date +%s) - start)) s; last line: $(grep -v '^Warning: max' "$OUTDIR/$name.log" | tail -1)" | tee -a "$SUMMARY"
}

run() {
  mkdir -p "$OUTDIR"
  : >"$SUMMARY"
  echo "gpu-check $(date -u +%Y-%m-%dT%H:%MZ) on $(hostname)" | tee -a "$SUMMARY"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee -a "$SUMMARY"
  # GPU_CHECK_CARRIED_NODE=1: use the carried node even where one is installed (to test the pack).
  if { ! command -v node >/dev/null || [ "${GPU_CHECK_CARRIED_NODE:-}" = 1 ]; } && [ -f "$CARRY/node.xz" ]; then
    mkdir -p /tmp/gpu-check-bin && xz -dc "$CARRY/node.xz" >/tmp/gpu-check-bin/node && chmod +x /tmp/gpu-check-bin/node
    export PATH=/tmp/gpu-check-bin:$PATH
  fi
  command -v node >/dev/null || { echo "no node: run bench/gpu-check.sh pack and carry $CARRY" | tee -a "$SUMMARY"; exit 1; }
  if [ ! -d node_modules ] && [ -f "$CARRY/node_modules.tar.xz" ]; then xz -dc "$CARRY/node_modules.tar.xz" | tar -xf -; fi
  [ -f dist/index.js ] || { echo "no dist/: build here first and carry dist" | tee -a "$SUMMARY"; exit 1; }
  if ! ldconfig -p 2>/dev/null | grep -q libvulkan.so.1; then
    for f in "$CARRY"/debs/*.deb; do [ -f "$f" ] && dpkg -x "$f" /; done
    ldconfig 2>/dev/null
  fi
  # The NVIDIA driver's Vulkan ICD where the container mounts it (see the device tool's notes).
  local icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  [ -f "$icd" ] && [ -z "${VK_DRIVER_FILES:-}" ] && export VK_DRIVER_FILES=$icd
  echo "node $(node --version); VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}" | tee -a "$SUMMARY"

  export METRICLAB_BACKEND=webgpu
  step info 45 node bin/metriclab.js info
  step parity 90 node bin/metriclab.js parity test/fixtures/parity.json
  step bench-row1-train-step 75 node --import tsx bench/train/run.ts --repeats 5 mlp cnn
  step bench-row2-losses 75 node --import tsx bench/losses/bench.ts --repeats 3
  step notebook-01-full 150 node bin/metriclab.js run -p profile full -p steps 200 -p seeds '[1,2,3]' \
    --timeout 120 --log-output --out "$OUTDIR/notebook" notebooks/01-classification-vs-metric-learning.ipynb
  # The runner starts its kernel in a session of its own, which a timeout does not reach.
  for pid in $(pgrep -f "$PWD/bin/tslab-kernel.js" || true); do kill "$pid" 2>/dev/null; done
  if [ -d node_modules/@tensorflow/tfjs-node-gpu ]; then
    METRICLAB_BACKEND=tensorflow-gpu step tfjs-node-gpu 60 node bin/metriclab.js info
  else
    echo "tfjs-node-gpu: not run: not installed, and it cannot be installed here (npm install downloads libtensorflow 2.9 for CUDA 11.2)" | tee -a "$SUMMARY"
  fi
}

case "${1:-}" in
  pack) pack ;;
  run) run ;;
  *)
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
