#!/usr/bin/env bash
# Builds the Unity package (UPM) folder of NeuralNet.Gen and checks it. Usage: .ci/unity-package.sh [output folder]
# (default artifacts/unity). The folder is what a Unity user adds by path (Package Manager > Add package from disk,
# pick package.json) or by git URL (...git?path=<folder>):
#
#   com.neuralnet.gen/
#     package.json                      name, version, Unity 2022.3.12f1 or later, the sample
#     Runtime/NeuralNet.Gen.Unity.asmdef   the assembly user code references; the analyzers below apply to it and
#     Runtime/PackageInfo.cs               to every assembly that references it (Unity's analyzer scope)
#     Runtime/Plugins/NeuralNet.Gen.dll    the netstandard2.1 runtime, and its one dependency
#     Runtime/Plugins/System.Runtime.CompilerServices.Unsafe.dll
#     Runtime/Analyzers/NeuralNet.Gen.Generators.dll, NeuralNet.Gen.Analyzers.dll
#                                          the Roslyn 4.3 builds, labelled RoslynAnalyzer, excluded from every platform
#     Samples~/XorTraining/                a MonoBehaviour that trains a network while the game runs
#
# Every file and folder has a .meta whose GUID is derived from the package name and the file's path: unique, and the
# same on every build, so a project that updates the package keeps its references.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$repo/artifacts/unity}")"
name="com.neuralnet.gen"
package="$out/$name"
version="$(grep -oP '(?<=<Version>)[^<]+' "$repo/src/NeuralNet.Gen/NeuralNet.Gen.csproj")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== build (Release): the netstandard2.1 runtime, the Roslyn 4.3 generator and analyzers"
dotnet build "$repo/src/NeuralNet.Gen/NeuralNet.Gen.csproj" -c Release -f netstandard2.1 -nologo -v:q
dotnet build "$repo/generators/NeuralNet.Gen.Generators.Roslyn4.3" -c Release -nologo -v:q
dotnet build "$repo/analyzers/NeuralNet.Gen.Analyzers.Roslyn4.3" -c Release -nologo -v:q
unsafe_dll="$(find "${NUGET_PACKAGES:-$HOME/.nuget/packages}/system.runtime.compilerservices.unsafe/6.0.0/lib/netstandard2.0" -name System.Runtime.CompilerServices.Unsafe.dll | head -1)"
[ -f "$unsafe_dll" ] || { echo "FAIL: System.Runtime.CompilerServices.Unsafe 6.0.0 not restored"; exit 1; }

# One folder tree, written from scratch each time.
write_package() {
  local root="$1"
  rm -rf "$root"
  mkdir -p "$root/Runtime/Plugins" "$root/Runtime/Analyzers" "$root/Samples~/XorTraining"
  cp "$repo/src/NeuralNet.Gen/bin/Release/netstandard2.1/NeuralNet.Gen.dll" "$root/Runtime/Plugins/"
  cp "$unsafe_dll" "$root/Runtime/Plugins/"
  cp "$repo/generators/NeuralNet.Gen.Generators.Roslyn4.3/bin/Release/netstandard2.0/NeuralNet.Gen.Generators.dll" "$root/Runtime/Analyzers/"
  cp "$repo/analyzers/NeuralNet.Gen.Analyzers.Roslyn4.3/bin/Release/netstandard2.0/NeuralNet.Gen.Analyzers.dll" "$root/Runtime/Analyzers/"
  cp -r "$repo/src/NeuralNet.Gen.Unity/." "$root/"
  sed -i "s/@VERSION@/$version/g" "$root/package.json" "$root/Runtime/PackageInfo.cs"
  # Unity ignores folders ending in ~ (the sample is copied into Assets when the user imports it): no .meta for
  # Samples~ itself, one for everything else.
  (cd "$root" && find . -mindepth 1 ! -name '*.meta' ! -path './Samples~' | sed 's|^\./||' | sort) | while read -r path; do
    write_meta "$root" "$path"
  done
}

guid() { printf '%s' "$name/$1" | md5sum | cut -c1-32; }

write_meta() {
  local root="$1" path="$2" meta="$1/$2.meta"
  {
    echo "fileFormatVersion: 2"
    echo "guid: $(guid "$path")"
    case "$path" in
      Runtime/Analyzers/*.dll)
        # Unity's documented setup for an analyzer or source generator: label RoslynAnalyzer, and no platform
        # (not Any, not Editor, not Standalone), so it runs in the compiler and never loads into the game.
        echo "labels:"
        echo "- RoslynAnalyzer"
        plugin_importer 0 ;;
      *.dll) plugin_importer 1 ;;
      *.asmdef) importer AssemblyDefinitionImporter ;;
      *.cs) mono_importer ;;
      package.json) importer PackageManifestImporter ;;
      *.md) importer TextScriptImporter ;;
      *) if [ -d "$root/$path" ]; then echo "folderAsset: yes"; fi; importer DefaultImporter ;;
    esac
  } >"$meta"
}

importer() {
  echo "$1:"
  echo "  externalObjects: {}"
  echo "  userData: "
  echo "  assetBundleName: "
  echo "  assetBundleVariant: "
}

mono_importer() {
  echo "MonoImporter:"
  echo "  externalObjects: {}"
  echo "  serializedVersion: 2"
  echo "  defaultReferences: []"
  echo "  executionOrder: 0"
  echo "  icon: {instanceID: 0}"
  echo "  userData: "
  echo "  assetBundleName: "
  echo "  assetBundleVariant: "
}

# $1: 1 for a library every platform loads (the runtime), 0 for a Roslyn component no platform loads.
plugin_importer() {
  local enabled="$1" exclude=$((1 - $1))
  cat <<YAML
PluginImporter:
  externalObjects: {}
  serializedVersion: 2
  iconMap: {}
  executionOrder: {}
  defineConstraints: []
  isPreloaded: 0
  isOverridable: 0
  isExplicitlyReferenced: 0
  validateReferences: 1
  platformData:
  - first:
      : Any
    second:
      enabled: $enabled
      settings:
        Exclude Editor: $exclude
        Exclude Linux64: $exclude
        Exclude OSXUniversal: $exclude
        Exclude Win: $exclude
        Exclude Win64: $exclude
  - first:
      Any: 
    second:
      enabled: $enabled
      settings: {}
  - first:
      Editor: Editor
    second:
      enabled: $enabled
      settings:
        DefaultValueInitialized: true
  - first:
      Standalone: Linux64
    second:
      enabled: $enabled
      settings: {}
  - first:
      Standalone: OSXUniversal
    second:
      enabled: $enabled
      settings: {}
  - first:
      Standalone: Win
    second:
      enabled: $enabled
      settings: {}
  - first:
      Standalone: Win64
    second:
      enabled: $enabled
      settings: {}
  userData: 
  assetBundleName: 
  assetBundleVariant: 
YAML
}

echo "== write $package"
write_package "$package"

echo "== check"
fail() { echo "FAIL: $*"; exit 1; }
cd "$package"
# package.json: Unity's required fields, a lowercase reverse-domain name, semantic version, the sample's folder.
json_field() { grep -oP "\"$1\"\\s*:\\s*\"\\K[^\"]*" package.json | head -1; }
[ "$(json_field name)" = "$name" ] || fail "package.json name"
[[ "$(json_field version)" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || fail "package.json version is not semver"
[ "$(json_field unity)" = "2022.3" ] && [ "$(json_field unityRelease)" = "12f1" ] || fail "package.json unity/unityRelease"
[ -n "$(json_field displayName)" ] && [ -n "$(json_field description)" ] || fail "package.json displayName/description"
[ -d "$(json_field path)" ] || fail "package.json sample path $(json_field path) missing"
# Every asset has a .meta and every .meta an asset; GUIDs are 32 hex digits and unique.
while read -r path; do [ -f "$path.meta" ] || fail "no .meta for $path"; done < <(find . -mindepth 1 ! -name '*.meta' ! -path './Samples~')
while read -r meta; do [ -e "${meta%.meta}" ] || fail "$meta has no asset"; done < <(find . -name '*.meta')
guids="$(grep -rhoP '^guid: \K.*' --include='*.meta' .)"
[ -z "$(grep -vxE '[0-9a-f]{32}' <<<"$guids")" ] || fail "a GUID is not 32 hex digits"
[ -z "$(sort <<<"$guids" | uniq -d)" ] || fail "duplicate GUIDs: $(sort <<<"$guids" | uniq -d)"
echo "$(wc -l <<<"$guids") .meta files, GUIDs unique"
# The Roslyn components: labelled, on no platform; the runtime on every platform.
for dll in Runtime/Analyzers/NeuralNet.Gen.Generators.dll Runtime/Analyzers/NeuralNet.Gen.Analyzers.dll; do
  grep -qx -- "- RoslynAnalyzer" "$dll.meta" || fail "$dll is not labelled RoslynAnalyzer"
  [ -z "$(grep -E '^\s+enabled: 1' "$dll.meta")" ] || fail "$dll is enabled on a platform"
  grep -q 'Exclude Editor: 1' "$dll.meta" || fail "$dll is not excluded from the Editor"
done
for dll in Runtime/Plugins/*.dll; do
  ! grep -q RoslynAnalyzer "$dll.meta" && grep -qE '^\s+enabled: 1' "$dll.meta" || fail "$dll must be a plain plugin on every platform"
done
# The analyzers sit under the asmdef's folder, so Unity scopes them to it and to the assemblies that reference it.
grep -q '"name": "NeuralNet.Gen.Unity"' Runtime/NeuralNet.Gen.Unity.asmdef || fail "asmdef name"
grep -q '"NeuralNet.Gen.dll"' Runtime/NeuralNet.Gen.Unity.asmdef || fail "asmdef does not reference the runtime"
grep -q '"NeuralNet.Gen.Unity"' Samples~/XorTraining/*.asmdef || fail "the sample's asmdef does not reference NeuralNet.Gen.Unity"
# Stable: a second build gives the same bytes, .meta files included.
write_package "$work/again"
diff -r "$package" "$work/again" >/dev/null || fail "a second build differs"
echo "package layout and metadata OK, and the same bytes on a second build"

# What Unity compiles: the package's script and the sample as C# 9 against netstandard2.1, with the package's
# runtime and its Roslyn 4.3 generator and analyzers. The sample's MonoBehaviour is compiled against a stand-in for
# the two UnityEngine types it uses (no Unity here).
echo "== compile the package's scripts and sample as Unity does (C# 9, netstandard2.1, the package's analyzers)"
mkdir -p "$work/compile"
cat >"$work/compile/UnityEngineStandIn.cs" <<'CS'
namespace UnityEngine
{
    public class MonoBehaviour { }
    public static class Debug { public static void Log(object message) => System.Console.WriteLine(message); }
}
CS
cat >"$work/compile/Compile.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>netstandard2.1</TargetFramework>
    <LangVersion>9</LangVersion>
    <Nullable>disable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
  </PropertyGroup>
  <ItemGroup>
    <Compile Include="$package/Runtime/*.cs;$package/Samples~/**/*.cs;UnityEngineStandIn.cs" />
    <Reference Include="$package/Runtime/Plugins/NeuralNet.Gen.dll" />
    <Analyzer Include="$package/Runtime/Analyzers/*.dll" />
  </ItemGroup>
</Project>
XML
dotnet build "$work/compile" -nologo -v:q
echo "== Unity package OK: $package"
