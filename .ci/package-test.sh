#!/usr/bin/env bash
# Package test: packs NeuralNet.Gen into a local folder feed, then meets it the way a user does — fresh consumer
# projects that take the package by PackageReference. A valid network must build warning-free and run; a broken one
# must fail the build with the expected NNG diagnostics. Usage: .ci/package-test.sh (from anywhere).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
feed="$work/feed"
version="0.1.0"

echo "== pack"
dotnet pack "$repo/src/NeuralNet.Gen/NeuralNet.Gen.csproj" -c Release -o "$feed" -nologo -v:q -p:Version=$version
package="$feed/NeuralNet.Gen.$version.nupkg"
contents="$(unzip -Z1 "$package")"
for entry in lib/net8.0/NeuralNet.Gen.dll lib/netstandard2.1/NeuralNet.Gen.dll \
             analyzers/dotnet/roslyn4.8/cs/NeuralNet.Gen.Generators.dll analyzers/dotnet/roslyn4.8/cs/NeuralNet.Gen.Analyzers.dll \
             analyzers/dotnet/roslyn4.8/cs/NeuralNet.Gen.CodeFixes.dll \
             analyzers/dotnet/roslyn4.3/cs/NeuralNet.Gen.Generators.dll analyzers/dotnet/roslyn4.3/cs/NeuralNet.Gen.Analyzers.dll; do
  grep -qx "$entry" <<<"$contents" || { echo "FAIL: $entry missing from the package"; exit 1; }
done
# Every Roslyn component sits in a versioned folder: an unversioned analyzers/dotnet/cs would be loaded by every compiler.
if grep -E '^analyzers/' <<<"$contents" | grep -vqE '^analyzers/dotnet/roslyn4\.(3|8)/cs/NeuralNet\.Gen\.[A-Za-z]+\.dll$'; then
  echo "FAIL: an analyzer file outside analyzers/dotnet/roslyn4.3/cs and roslyn4.8/cs:"; grep -E '^analyzers/' <<<"$contents"; exit 1
fi
if grep -qx "analyzers/dotnet/roslyn4.3/cs/NeuralNet.Gen.CodeFixes.dll" <<<"$contents"; then
  echo "FAIL: the code fixes need Roslyn 4.8 (Workspaces); Unity does not load them"; exit 1
fi
echo "package holds the runtime (net8.0 and netstandard2.1); generator and analyzers under analyzers/dotnet/roslyn4.8/cs (with the code fixes) and roslyn4.3/cs"
# What nuget.org shows (and what `dotnet pack` warns about when missing): a readme, a licence expression, a project URL.
nuspec="$(unzip -p "$package" NeuralNet.Gen.nuspec)"
grep -qx README.md <<<"$contents" || { echo "FAIL: README.md missing from the package"; exit 1; }
for field in '<readme>README.md</readme>' '<license type="expression">MIT</license>' '<projectUrl>https://'; do
  grep -qF "$field" <<<"$nuspec" || { echo "FAIL: the nuspec lacks $field"; exit 1; }
done
echo "package carries its readme, licence expression and project URL"

# A consumer outside the repository (no Directory.Build.props of ours), with its own package folder so a stale
# NeuralNet.Gen 0.1.0 in the machine's cache can never stand in for the one just packed.
make_consumer() {
  local dir="$1"
  mkdir -p "$dir"
  cat >"$dir/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
  <packageSources><add key="local" value="$feed" /></packageSources>
</configuration>
XML
  cat >"$dir/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="NeuralNet.Gen" Version="$version" />
  </ItemGroup>
</Project>
XML
}

echo "== valid consumer: builds with warnings as errors and runs"
make_consumer "$work/valid"
cat >"$work/valid/Program.cs" <<'CS'
using System;
using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

float[] inputs = { 0, 0, 0, 1, 1, 0, 1, 1 };
float[] targets = { 0, 1, 1, 0 };
var net = new XorNet();
float first = net.TrainStep(inputs, targets, 4);
float last = first;
for (int epoch = 0; epoch < 2000; epoch++) last = net.TrainStep(inputs, targets, 4);
Span<float> y = stackalloc float[XorNet.OutputSize];
net.Forward(new float[] { 1, 0 }, y);
Console.WriteLine($"inputs {XorNet.InputSize}, parameters {XorNet.ParameterCount}, loss {first:F4} -> {last:F4}, xor(1, 0) = {y[0]:F3}");
return last < first / 2 ? 0 : 1;

[Network(Seed = 1)]
[Input(2)]
[Dense(8, Tanh)]
[Dense(1, Sigmoid)]
[Loss(LossFunction.BinaryCrossEntropy)]
[Optimizer(OptimizerKind.Adam, LearningRate = 0.05f)]
public partial class XorNet { }
CS
dotnet build "$work/valid" -warnaserror -nologo -v:q
dotnet run --project "$work/valid" --no-build
echo "valid consumer OK"

# The SDK picks the versioned folder from the compiler's API version (CompilerApiVersion, read from the compiler it
# ships). Set to roslyn4.3, it hands the compiler the Roslyn 4.3 build, as a Roslyn 4.3 compiler (Unity's) would get.
analyzers_for() {
  dotnet msbuild "$1" -nologo -t:ResolveLockFileAnalyzers -getItem:Analyzer "${@:2}" | grep -oE 'analyzers/dotnet/[^"]+\.dll' | sort -u
}
echo "== which build each compiler gets"
chosen="$(analyzers_for "$work/valid")"
echo "$chosen"
[ "$(grep -c 'roslyn4.8/cs/' <<<"$chosen")" = 3 ] && ! grep -q 'roslyn4.3' <<<"$chosen" \
  || { echo "FAIL: this SDK's compiler should get the roslyn4.8 generator, analyzers and code fixes"; exit 1; }
chosen="$(analyzers_for "$work/valid" -p:CompilerApiVersion=roslyn4.3)"
echo "$chosen"
[ "$(grep -c 'roslyn4.3/cs/' <<<"$chosen")" = 2 ] && ! grep -q 'roslyn4.8' <<<"$chosen" \
  || { echo "FAIL: a Roslyn 4.3 compiler should get the roslyn4.3 generator and analyzers only"; exit 1; }

echo "== the valid consumer again with the Roslyn 4.3 build, as C# 9: builds with warnings as errors and runs"
make_consumer "$work/valid43"
cp "$work/valid/Program.cs" "$work/valid43/Program.cs"
dotnet build "$work/valid43" -warnaserror -nologo -v:q -p:CompilerApiVersion=roslyn4.3 -p:LangVersion=9 -p:ImplicitUsings=disable
dotnet run --project "$work/valid43" --no-build
echo "valid consumer on the Roslyn 4.3 build OK"

echo "== broken consumer: the build fails with the expected NNG ids"
make_consumer "$work/broken"
cat >"$work/broken/Program.cs" <<'CS'
using NeuralNet.Gen;
using static NeuralNet.Gen.Activation;

var net = new Fine();
net.Forward(new float[3], new float[1]);   // NNG0009: InputSize is 2
net.TrainStep(new float[2], new float[1], 1);   // NNG0016 (next to CS1061): Fine has no [Loss]

[Network, Input(28, 28, 1), Conv2D(8, 3), Dense(10)]                     // NNG0005: no [Flatten]
public partial class NoFlatten { }

[Network, Input(2), Dense(1, Relu), Loss(LossFunction.BinaryCrossEntropy)] // NNG0006: not Sigmoid
public partial class WrongLoss { }

[Network, Input(2), Dense(1)]                                             // NNG0001: not partial
public class NotPartial { }

[Network, Input(2), Dense(1)]
public partial class Fine { }

[Input(2), Dense(1)]                                                      // NNG0016: no [Network]
public partial class Forgotten { }
CS
# Both builds of the analyzers: the SDK's own compiler (roslyn4.8) and the one a Roslyn 4.3 compiler gets.
for api in "" roslyn4.3; do
  echo "-- analyzers for ${api:-the SDK compiler (roslyn4.8)}"
  set +e
  output="$(dotnet build "$work/broken" -nologo -v:q -p:ErrorLog="$work/broken${api:+-$api}.sarif" ${api:+-p:CompilerApiVersion=$api} 2>&1)"
  status=$?
  set -e
  echo "$output" | grep -E "NNG[0-9]{4}" | sed 's|.*/Program.cs|Program.cs|' | sort -u
  if [ $status -eq 0 ]; then echo "FAIL: the broken consumer built"; exit 1; fi
  for expected in "error NNG0001" "error NNG0005" "error NNG0006" "warning NNG0009" "error NNG0016"; do
    grep -q "$expected" <<<"$output" || { echo "FAIL: '$expected' not reported"; exit 1; }
  done
done
echo "broken consumer failed as expected"
# Help links default to the pages packed with the package (build/NeuralNet.Gen.props): the link must open a page.
link="$(grep -o '"helpUri": *"[^"]*NNG0005.md"' "$work/broken.sarif" | head -1 | sed 's/.*"\(file:[^"]*\)"/\1/')"
page="${link#file://}"
[ -n "$link" ] && [ -f "$page" ] && grep -q "^# NNG0005" "$page" || { echo "FAIL: NNG0005's help link '$link' does not open its page"; exit 1; }
echo "help link $link opens the packed page"
echo "== package test OK"
