#!/usr/bin/env bash
# Template test: packs NeuralNet.Gen and NeuralNet.Gen.Templates into a local folder feed, installs the template
# package from that folder (into a private template hive, so the machine's own templates are untouched), runs
# `dotnet new nngen-console` in a temp dir and builds (warnings as errors) and runs the result against the package
# just packed, the way a learner starts. Usage: .ci/template-test.sh (from anywhere).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
feed="$work/feed"
hive="$work/hive"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/src/NeuralNet.Gen/NeuralNet.Gen.csproj")"
template_dir="$repo/src/NeuralNet.Gen.Templates"

echo "== the template references the package version being built ($version)"
grep -q "Include=\"NeuralNet.Gen\" Version=\"$version\"" "$template_dir/content/nngen-console/NnGenConsole.csproj" \
  || { echo "FAIL: the template's NeuralNet.Gen version differs from src/NeuralNet.Gen ($version)"; exit 1; }

echo "== pack"
dotnet pack "$repo/src/NeuralNet.Gen/NeuralNet.Gen.csproj" -c Release -o "$feed" -nologo -v:q -p:Version="$version"
dotnet pack "$template_dir/NeuralNet.Gen.Templates.csproj" -c Release -o "$feed" -nologo -v:q
templates="$(ls "$feed"/NeuralNet.Gen.Templates.*.nupkg)"
# The listing is read whole first: `unzip | grep -q` under pipefail fails when grep stops reading early (SIGPIPE).
listing="$(unzip -Z1 "$templates")"
grep -qx "content/nngen-console/.template.config/template.json" <<<"$listing" \
  || { echo "FAIL: template.json missing from $templates"; exit 1; }

echo "== install from the local folder and instantiate"
dotnet new install "$templates" --debug:custom-hive "$hive"
dotnet new nngen-console -o "$work/LearnerApp" --debug:custom-hive "$hive"
test -f "$work/LearnerApp/LearnerApp.csproj" || { echo "FAIL: the project was not named after the output folder"; exit 1; }

# The freshly packed NeuralNet.Gen, never a stale copy from the machine's package cache.
cat >"$work/LearnerApp/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
  <packageSources><add key="local" value="$feed" /></packageSources>
</configuration>
XML

echo "== build (warnings as errors: no NNG hint or warning in the template) and run"
dotnet build "$work/LearnerApp" -warnaserror -nologo -v:q
output="$(cd "$work/LearnerApp" && dotnet run --no-build)"
echo "$output"
grep -q "^test: " <<<"$output" || { echo "FAIL: no test evaluation printed"; exit 1; }
test -s "$work/LearnerApp/training.png" || { echo "FAIL: no training.png"; exit 1; }
accuracy="$(sed -n 's/^test: .*accuracy[: ]*\([0-9.]*\).*/\1/p' <<<"$output")"
echo "test accuracy: ${accuracy:-?}"
echo "== template test OK"
