#!/usr/bin/env bash
# Build time with and without the generator, side by side (issue 16, part 5).
#
# For each scenario it writes two copies of one project under a scratch folder: one that references the generator as an
# analyzer (as the package does) and one that does not, with the same source. It builds both once (restore, the
# generator itself), then rebuilds them in turn, interleaved, touching the source each time, and prints each time and
# the median ratio. Scenarios:
#   small300  one class of 300 small [Differentiable] methods (two parameters, five operations each)
#   termsN    one [Differentiable] method of N terms  s += c*x*y + d*Math.Sin(k*x)  (N = 500, 1000, 2000)
# A third copy, "first", sets AutoDiffSecondOrder=false (first-order derivatives only).
#
#   bash benchmarks/build-time/run.sh                 # every scenario, 3 rounds (about 10 minutes on 2 cores)
#   bash benchmarks/build-time/run.sh terms1000 5     # one scenario, 5 rounds
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scenarios="${1:-small300 terms500 terms1000 terms2000}"
rounds="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

source_of() {
  local scenario="$1"
  echo "using System; using AutoDiff;"
  if [[ "$scenario" == small* ]]; then
    local n="${scenario#small}"
    echo "public static partial class Small {"
    for ((i = 0; i < n; i++)); do
      echo "  [Differentiable] public static double F$i(double x, double y) { var t = x * y + $i.0; return Math.Sin(t) * x + Math.Exp(-y * y) / (1 + x * x); }"
    done
  else
    local n="${scenario#terms}"
    echo "public static partial class Big {"
    echo "  [Differentiable] public static double F(double x, double y) {"
    echo "    double s = 0;"
    for ((i = 0; i < n; i++)); do
      echo "    s += $((i + 1)).0 * x * y + $i.5 * Math.Sin($((i % 7 + 1)).0 * x);"
    done
    echo "    return s;"
    echo "  }"
  fi
  echo "}"
}

project_of() {
  local variant="$1"
  local generator="" second=""
  if [[ "$variant" != none ]]; then
    generator="<ProjectReference Include=\"$root/src/AutoDiff.Generator/AutoDiff.Generator.csproj\" OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\" />"
  fi
  if [[ "$variant" == first ]]; then
    second="<AutoDiffSecondOrder>false</AutoDiffSecondOrder>"
  fi
  cat <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
    $second
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$root/src/AutoDiff.Runtime/AutoDiff.Runtime.csproj" />
    $generator
    <CompilerVisibleProperty Include="AutoDiffSecondOrder" />
  </ItemGroup>
</Project>
PROJECT
}

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

variants="none generator first"
for scenario in $scenarios; do
  for variant in $variants; do
    dir="$work/$scenario-$variant"
    mkdir -p "$dir"
    project_of "$variant" > "$dir/$scenario-$variant.csproj"
    source_of "$scenario" > "$dir/Code.cs"
    dotnet build "$dir" -c Release > "$dir/first-build.log" 2>&1 || { echo "$scenario $variant: the first build failed"; tail -20 "$dir/first-build.log"; exit 1; }
  done
  for ((round = 1; round <= rounds; round++)); do
    for variant in $variants; do
      dir="$work/$scenario-$variant"
      touch "$dir/Code.cs"
      start=$(date +%s.%N)
      dotnet build "$dir" -c Release --no-restore --no-dependencies > "$dir/build.log" 2>&1 || { echo "$scenario $variant: build failed"; tail -20 "$dir/build.log"; exit 1; }
      end=$(date +%s.%N)
      seconds=$(echo "$end - $start" | bc)
      echo "$seconds" >> "$dir/times"
      printf '%-10s %-9s round %d: %6.2f s\n' "$scenario" "$variant" "$round" "$seconds"
    done
  done
  none=$(median < "$work/$scenario-none/times")
  generator=$(median < "$work/$scenario-generator/times")
  first=$(median < "$work/$scenario-first/times")
  printf '%-10s medians: without %.2f s, with the generator %.2f s (%.2fx), first order only %.2f s (%.2fx)\n' \
    "$scenario" "$none" "$generator" "$(echo "$generator / $none" | bc -l)" "$first" "$(echo "$first / $none" | bc -l)"
done
