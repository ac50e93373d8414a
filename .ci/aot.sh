#!/usr/bin/env bash
# NativeAOT check (issue 8, part 1): publish samples/AotInference and samples/CartPole as native executables, fail
# on any trim or AOT warning, run both (their exit codes say whether the AOT-compiled networks learned), and report
# AotInference's binary size and its median start-to-first-prediction time over 20 runs.
set -euo pipefail
cd "$(dirname "$0")/.."

# NativeAOT links with clang (or gcc as its fallback) and needs zlib's headers and library.
packages=()
command -v clang >/dev/null || command -v gcc >/dev/null || packages+=(clang)
[ -f /usr/include/zlib.h ] || packages+=(zlib1g-dev)
if [ ${#packages[@]} -gt 0 ]; then
  echo "-- installing ${packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Both samples set PublishAot=true in their projects. -warnaserror makes any IL2xxx (trim) or IL3xxx (AOT) warning
# fail the publish; the grep is a second guard.
publish() {
  echo "-- dotnet publish samples/$1 -c Release -r linux-x64 (NativeAOT)"
  dotnet publish "samples/$1" -c Release -r linux-x64 -nologo -warnaserror -o "$work/$1" 2>&1 | tee "$work/$1.log"
  if grep -E -q "(warning|error) IL[23][0-9]{3}" "$work/$1.log"; then
    echo "FAIL: trim or AOT warnings in the publish output of $1" >&2
    exit 1
  fi
}
publish AotInference
publish CartPole

echo "-- run CartPole (native): learns, then must balance a game for all 500 steps"
"$work/CartPole/CartPole" | grep -v -E "^ +[0-9]+ \[" # the drawn frames are left out of the log

binary="$work/AotInference/AotInference"
echo "-- run AotInference (native)"
"$binary" --launched-at-ns "$(date +%s%N)"

echo "-- timing (20 runs)"
first=()
whole=()
for _ in $(seq 20); do
  start=$(date +%s%N)
  output=$("$binary" --launched-at-ns "$start")
  end=$(date +%s%N)
  first+=("$(sed -n 's/^Start to first prediction: \([0-9.]*\) ms.*/\1/p' <<<"$output")")
  whole+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e6 }')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
size=$(stat -c %s "$binary")
echo "NativeAOT binary (AotInference): $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.2f", s / 1048576 }') MiB, stripped; symbols in a separate .dbg)"
echo "Start to first prediction: median $(median "${first[@]}") ms; whole run (start to exit, 1000 training steps included): median $(median "${whole[@]}") ms"
echo "== NativeAOT done"
