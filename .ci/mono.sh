#!/usr/bin/env bash
# Mono, Unity's scripting runtime: runs tests/NeuralNet.Gen.Reproducibility (Forward, TrainStep, Fit, save/load, a CNN,
# printed as bits) built for netstandard2.1 under Debian's Mono 6.8, and the same program built for net8.0 under .NET,
# and compares the two outputs line by line, bit for bit.
#
# Every line that differs must be listed, with its cause, in .ci/mono/known-differences.txt, and every line listed
# must still differ: a new difference fails, and so does a fixed one until its entry is removed.
# Usage: .ci/mono.sh (from anywhere; installs Mono with apt-get if it is missing).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
program="$repo/tests/NeuralNet.Gen.Reproducibility"
known="$repo/.ci/mono/known-differences.txt"

# mono-runtime is the VM; mono-devel brings lib/mono/4.5/Facades, whose netstandard.dll lets Mono load
# netstandard2.1 assemblies at all.
if ! command -v mono >/dev/null || [ ! -f /usr/lib/mono/4.5/Facades/netstandard.dll ]; then
  echo "== installing Mono"
  apt-get update -qq && apt-get install -y -qq mono-runtime mono-devel >/dev/null
fi
echo "== $(mono --version | head -1)"

echo "== build"
dotnet build "$program" -c Release -nologo -v:q
dotnet build "$repo/.ci/mono/ModreqShim" -c Release -nologo -v:q
netstandard="$program/bin/Release/netstandard2.1"
exe=NeuralNet.Gen.Reproducibility.dll

echo "== .NET: the net8.0 build"
dotnet "$program/bin/Release/net8.0/$exe" "$work" >"$work/dotnet.txt"

# Debian's Mono 6.8 mscorlib declares ReadOnlySpan<T>'s `ref readonly` indexer without the modreq(InAttribute) that
# the netstandard2.1 reference assemblies and .NET have (C# itself rejects that signature: CS0570 when compiling
# against it; Debian seems to build these libraries with mcs), so a call compiled against netstandard2.1 does not
# bind there. Either the build runs as it is (a Mono without that
# mismatch), or it fails with exactly that error and runs again with the modifier taken out of its call signatures.
echo "== Mono: the netstandard2.1 build as built"
if mono "$netstandard/$exe" "$work" >"$work/mono.txt" 2>"$work/mono-error.txt"; then
  echo "ran as built"
elif grep -q 'MissingMethodException: Method not found: !0 modreq(System.Runtime.InteropServices.InAttribute)& System.ReadOnlySpan`1.get_Item' "$work/mono-error.txt"; then
  echo "MissingMethodException on ReadOnlySpan<T>'s indexer (this Mono's corlib signature lacks modreq(InAttribute)), as expected"
  echo "== Mono: the netstandard2.1 build with modreq(InAttribute) removed from framework call signatures"
  cp -r "$netstandard" "$work/shimmed"
  dotnet "$repo/.ci/mono/ModreqShim/bin/Release/net8.0/ModreqShim.dll" "$work/shimmed/NeuralNet.Gen.dll" "$work/shimmed/$exe"
  mono "$work/shimmed/$exe" "$work" >"$work/mono.txt"
else
  cat "$work/mono-error.txt"; echo "FAIL: Mono could not run the netstandard2.1 build"; exit 1
fi

# Diagnosis, not compared: the netstandard2.1 build on .NET (library build against runtime) and with 128-bit
# vectors (Mono's Vector<T> width).
printf '{"runtimeOptions":{"tfm":"net8.0","rollForward":"Major","framework":{"name":"Microsoft.NETCore.App","version":"8.0.0"}}}' >"$work/rc.json"
dotnet exec --runtimeconfig "$work/rc.json" "$netstandard/$exe" "$work" >"$work/netstandard-dotnet.txt"
DOTNET_EnableAVX2=0 dotnet exec --runtimeconfig "$work/rc.json" "$netstandard/$exe" "$work" >"$work/netstandard-dotnet-128.txt"

# The keys (first word) of the lines two outputs disagree on; line 1 names the runtime and is skipped.
differing() {
  paste -d'\t' <(tail -n +2 "$1") <(tail -n +2 "$2") | awk -F'\t' '$1 != $2 { split($1, k, " "); print k[1] }'
}
[ "$(wc -l <"$work/dotnet.txt")" = "$(wc -l <"$work/mono.txt")" ] || { echo "FAIL: the outputs have different lengths"; exit 1; }
head -1 "$work/dotnet.txt"; head -1 "$work/mono.txt"
echo "== lines that differ, and where: L = library build (net8.0 vs netstandard2.1, both on .NET),"
echo "   W = vector width (netstandard2.1 on .NET, 256- vs 128-bit Vector<T>), R = runtime (.NET vs Mono, both 128-bit)"
differing "$work/dotnet.txt" "$work/mono.txt" | sort >"$work/differ.txt"
differing "$work/dotnet.txt" "$work/netstandard-dotnet.txt" | sort >"$work/L.txt"
differing "$work/netstandard-dotnet.txt" "$work/netstandard-dotnet-128.txt" | sort >"$work/W.txt"
differing "$work/netstandard-dotnet-128.txt" "$work/mono.txt" | sort >"$work/R.txt"
while read -r key; do
  where=""
  grep -qx "$key" "$work/L.txt" && where+="L"
  grep -qx "$key" "$work/W.txt" && where+="W"
  grep -qx "$key" "$work/R.txt" && where+="R"
  printf '%-26s %-4s .NET %s | Mono %s\n' "$key" "$where" \
    "$(grep -m1 "^$key " "$work/dotnet.txt" | cut -d' ' -f2- | cut -c1-40)" "$(grep -m1 "^$key " "$work/mono.txt" | cut -d' ' -f2- | cut -c1-40)"
done <"$work/differ.txt"
echo "$(wc -l <"$work/differ.txt") of $(($(wc -l <"$work/dotnet.txt") - 1)) lines differ"

{ grep -vE "^\s*(#|$)" "$known" || true; } | awk '{print $1}' | sort >"$work/known.txt"
new="$(comm -23 "$work/differ.txt" "$work/known.txt")"
fixed="$(comm -13 "$work/differ.txt" "$work/known.txt")"
if [ -n "$new" ]; then echo "FAIL: these lines differ and are not in $known:"; echo "$new"; exit 1; fi
if [ -n "$fixed" ]; then echo "FAIL: these lines are equal now; remove them from $known:"; echo "$fixed"; exit 1; fi
echo "== Mono comparison OK: every other line is bit-identical, every difference is the known one"
