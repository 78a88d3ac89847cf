#!/usr/bin/env bash
# The consumer check: AutoDiff as a user gets it, from packages, not from this source tree.
#
# Packs AutoDiff, AutoDiff.Gpu and AutoDiff.Templates into a local folder feed, then, in a temporary directory outside
# the repository (with a nuget.config that adds the feed and keeps nuget.org, and a NuGet package cache of its own so
# that no cached copy of the same version can stand in for the packages just built):
#   1. a fresh console project: `dotnet add package AutoDiff`, a [Differentiable] method, build, run, check the gradient
#      and the Hessian it prints; check the package's analyzers folder (generator and code fixes), that
#      EmitCompilerGeneratedFiles writes a file named after the method, and that .editorconfig changes a diagnostic's
#      severity;
#   2. a fresh console project with only `dotnet add package AutoDiff.Gpu`: a kernel on ILGPU's CPU accelerator checked
#      against a generated gradient, and the accelerator choice of AutoDiff.Gpu.Accelerators;
#   3. `dotnet new install` of the template package (into a template hive of its own), `dotnet new autodiff-console`,
#      build, run, check.
# Set AUTODIFF_KEEP_CONSUMER=1 to keep the temporary directory for inspection.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
started=$SECONDS

work=$(mktemp -d "${TMPDIR:-/tmp}/autodiff-consumer.XXXXXX")
case "$work/" in "$repo"/*) echo "the consumer directory $work must be outside the repository" >&2; exit 1 ;; esac
cleanup() {
    if [ "${AUTODIFF_KEEP_CONSUMER:-0}" = 1 ]; then echo "consumer check: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

fail() { echo "consumer check FAILED: $*" >&2; exit 1; }
step() { echo "consumer check [$((SECONDS - started))s]: $*"; }
# expect OUTPUT TEXT: OUTPUT must contain the line fragment TEXT.
expect() { grep -qF -- "$2" <<<"$1" || { echo "$1"; fail "expected output: $2"; }; }

# --- Pack ---------------------------------------------------------------------------------------------------------
feed="$work/feed"
version=$(dotnet msbuild "$repo/src/AutoDiff.Runtime/AutoDiff.Runtime.csproj" -getProperty:PackageVersion)
[ -n "$version" ] || fail "could not read the package version"
step "packing AutoDiff $version, AutoDiff.Gpu and AutoDiff.Templates into $feed"
for project in src/AutoDiff.Runtime src/AutoDiff.Gpu templates/AutoDiff.Templates; do
    log=$(dotnet pack "$repo/$project" -c Release -o "$feed" -p:Version="$version" 2>&1) || { echo "$log"; fail "dotnet pack $project"; }
done
for package in "AutoDiff.$version.nupkg" "AutoDiff.$version.snupkg" "AutoDiff.Gpu.$version.nupkg" "AutoDiff.Gpu.$version.snupkg" \
               "AutoDiff.Templates.$version.nupkg"; do
    [ -f "$feed/$package" ] || fail "$package was not produced"
done

# --- The consumers' world: outside the repository, its own feed configuration, package cache and template hive ----
# Empty Directory.Build.* files stop MSBuild from looking further up for a parent directory's.
echo '<Project />' >"$work/Directory.Build.props"
echo '<Project />' >"$work/Directory.Build.targets"
cat >"$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="autodiff-local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <!-- AutoDiff's packages come only from the local feed, everything else from nuget.org. -->
  <packageSourceMapping>
    <packageSource key="autodiff-local">
      <package pattern="AutoDiff" />
      <package pattern="AutoDiff.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
EOF
export NUGET_PACKAGES="$work/packages"
hive="$work/template-hive"
cd "$work"

# --- 1. A console project with `dotnet add package AutoDiff` ---------------------------------------------------------
step "console project + dotnet add package AutoDiff --version $version"
dotnet new console -n Consumer -o consumer --framework net10.0 --no-restore --debug:custom-hive "$hive" >/dev/null
cd consumer
log=$(dotnet add package AutoDiff --version "$version" 2>&1) || { echo "$log"; fail "dotnet add package AutoDiff"; }

package_dir="$NUGET_PACKAGES/autodiff/$version"
for dll in AutoDiff.Generator.dll AutoDiff.CodeFixes.dll; do
    [ -f "$package_dir/analyzers/dotnet/cs/$dll" ] || fail "the AutoDiff package has no analyzers/dotnet/cs/$dll"
done
[ -f "$package_dir/lib/net8.0/AutoDiff.Runtime.xml" ] || fail "the AutoDiff package has no XML documentation"
if grep -qi 'AutoDiff.Generator\|AutoDiff.CodeFixes' "$package_dir/autodiff.nuspec"; then
    fail "the AutoDiff package depends on the generator or the code fixes (they belong in analyzers/, not in dependencies)"
fi

rm -f Program.cs
cat >Functions.cs <<'EOF'
using AutoDiff;

namespace Consumer;

public static partial class Functions
{
    // f(x, y) = x·y + sin x
    [Differentiable]
    public static double F(double x, double y) => x * y + Math.Sin(x);
}
EOF
cat >Program.cs <<'EOF'
using static System.FormattableString;
using Consumer;

double x = 0.5, y = -1.5;
var (value, dX, dY) = Functions.FGradient(x, y);
double[,] h = Functions.FHessian(x, y);
Console.WriteLine(Invariant($"f = {value:F6}"));
Console.WriteLine(Invariant($"gradient = ({dX:F6}, {dY:F6})"));
Console.WriteLine(Invariant($"hessian = [[{h[0, 0]:F6}, {h[0, 1]:F6}], [{h[1, 0]:F6}, {h[1, 1]:F6}]]"));
// Exact: ∇f = (y + cos x, x), H = [[-sin x, 1], [1, 0]].
bool exact = Math.Abs(dX - (y + Math.Cos(x))) < 1e-14 && dY == x
    && Math.Abs(h[0, 0] + Math.Sin(x)) < 1e-14 && h[0, 1] == 1 && h[1, 0] == 1 && h[1, 1] == 0;
Console.WriteLine(exact ? "derivatives exact" : "derivatives WRONG");
return exact ? 0 : 1;
EOF

# Diagnostic severities come from .editorconfig: ADIFF101 (an integer cast cuts the derivative) is a warning by
# default; raised to an error, the build must fail on it.
printf 'root = true\n\n[*.cs]\ndotnet_diagnostic.ADIFF101.severity = error\n' >.editorconfig
cat >Truncation.cs <<'EOF'
using AutoDiff;

namespace Consumer;

public static partial class Steps
{
    [Differentiable]
    public static double Truncated(double x) => (int)x * x;
}
EOF
step "build with ADIFF101 raised to an error in .editorconfig (must fail)"
if log=$(dotnet build --no-restore 2>&1); then echo "$log"; fail "the build passed although .editorconfig makes ADIFF101 an error"; fi
expect "$log" "error ADIFF101"
rm Truncation.cs

step "build and run"
log=$(dotnet build --no-restore -p:EmitCompilerGeneratedFiles=true -p:TreatWarningsAsErrors=true 2>&1) || { echo "$log"; fail "the consumer does not build"; }
generated=$(find obj -path '*generated/AutoDiff.Generator/*' -name 'Consumer.Functions.F.g.cs' | head -n 1)
[ -n "$generated" ] || { find obj -path '*generated*' -type f; fail "EmitCompilerGeneratedFiles wrote no Consumer.Functions.F.g.cs"; }
grep -q 'FGradient' "$generated" || fail "$generated holds no FGradient"
out=$(dotnet run --no-build 2>&1) || { echo "$out"; fail "the consumer exited non-zero"; }
echo "$out"
expect "$out" "f = -0.270574"
expect "$out" "gradient = (-0.622417, 0.500000)"
expect "$out" "hessian = [[-0.479426, 1.000000], [1.000000, 0.000000]]"
expect "$out" "derivatives exact"

# The package's MSBuild options reach the generator: AutoDiffSecondOrder=false leaves out second-order derivatives.
for props in build/AutoDiff.props buildTransitive/AutoDiff.props; do
    [ -f "$package_dir/$props" ] || fail "the AutoDiff package has no $props"
done
step "build with AutoDiffSecondOrder=false (first-order derivatives only)"
mv Program.cs Program.cs.full
echo 'var (value, dX, dY) = Consumer.Functions.FGradient(0.5, -1.5); System.Console.WriteLine(dY);' >Program.cs
log=$(dotnet build --no-restore -p:AutoDiffSecondOrder=false -p:EmitCompilerGeneratedFiles=true 2>&1) || { echo "$log"; fail "the consumer does not build with AutoDiffSecondOrder=false"; }
grep -q 'FGradient' "$generated" || fail "$generated holds no FGradient with AutoDiffSecondOrder=false"
if grep -q 'FHessian\|FBackwardTangent' "$generated"; then fail "AutoDiffSecondOrder=false still generated second-order derivatives"; fi
mv Program.cs.full Program.cs
cd "$work"

# --- 2. A console project with only `dotnet add package AutoDiff.Gpu` ------------------------------------------------
step "console project + dotnet add package AutoDiff.Gpu --version $version"
dotnet new console -n GpuConsumer -o gpu-consumer --framework net10.0 --no-restore --debug:custom-hive "$hive" >/dev/null
cd gpu-consumer
log=$(dotnet add package AutoDiff.Gpu --version "$version" 2>&1) || { echo "$log"; fail "dotnet add package AutoDiff.Gpu"; }
rm -f Program.cs
cat >Program.cs <<'EOF'
using static System.FormattableString;
using AutoDiff;
using AutoDiff.Gpu;
using ILGPU;
using ILGPU.Runtime;

// A kernel on ILGPU's CPU accelerator computes d/dx x³ = 3x² element by element; the generated gradient must agree.
double[] xs = { -1.5, 0.0, 0.5, 2.0 };
double[] onAccelerator;
using (var cpu = Accelerators.Create(AcceleratorPreference.Cpu))
{
    Console.WriteLine($"cpu accelerator: {cpu.Kind}, cuda: {cpu.IsCuda}");
    var kernel = cpu.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>>(Kernels.CubeDerivative);
    using var x = cpu.Accelerator.Allocate1D(xs);
    using var dy = cpu.Accelerator.Allocate1D<double>(xs.Length);
    kernel(xs.Length, x.View, dy.View);
    cpu.Accelerator.Synchronize();
    onAccelerator = dy.GetAsArray1D();
    cpu.Dispose(); // disposing twice is harmless
}
bool agree = true;
for (int i = 0; i < xs.Length; i++)
    agree &= onAccelerator[i] == Functions.CubeGradient(xs[i]).dX;
string values = string.Join(", ", onAccelerator.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
Console.WriteLine($"kernel 3x^2 = [{values}]; generated gradient {(agree ? "agrees" : "DISAGREES")}");

// The default picks CUDA when present, else the CPU accelerator; asking for CUDA without a device throws.
using (var chosen = Accelerators.Create())
    Console.WriteLine($"default accelerator: {chosen.Kind}");
try
{
    using var cuda = Accelerators.Create(AcceleratorPreference.Cuda);
    Console.WriteLine($"cuda preference: {cuda.Kind}");
}
catch (InvalidOperationException)
{
    Console.WriteLine("cuda preference: no CUDA device (InvalidOperationException)");
}
try { Accelerators.Create((AcceleratorPreference)42); Console.WriteLine("invalid preference accepted"); return 1; }
catch (ArgumentOutOfRangeException) { }
return agree ? 0 : 1;

static class Kernels
{
    public static void CubeDerivative(Index1D i, ArrayView<double> x, ArrayView<double> dy) => dy[i] = 3.0 * x[i] * x[i];
}

// AutoDiff.Gpu brings AutoDiff with its generator: [Differentiable] works with this one package reference.
static partial class Functions
{
    [Differentiable]
    public static double Cube(double x) => x * x * x;
}
EOF
step "build and run"
log=$(dotnet build --no-restore -p:TreatWarningsAsErrors=true 2>&1) || { echo "$log"; fail "the AutoDiff.Gpu consumer does not build"; }
out=$(dotnet run --no-build 2>&1) || { echo "$out"; fail "the AutoDiff.Gpu consumer exited non-zero"; }
echo "$out"
expect "$out" "cpu accelerator: CPU, cuda: False"
expect "$out" "kernel 3x^2 = [6.75, 0, 0.75, 12]; generated gradient agrees"
grep -qE '^default accelerator: (CPU|Cuda)$' <<<"$out" || fail "no default accelerator line"
if grep -q '^default accelerator: CPU$' <<<"$out"; then
    expect "$out" "cuda preference: no CUDA device (InvalidOperationException)"
fi
cd "$work"

# --- 3. The dotnet new template --------------------------------------------------------------------------------------
step "dotnet new install AutoDiff.Templates.$version.nupkg; dotnet new autodiff-console"
log=$(dotnet new install "$feed/AutoDiff.Templates.$version.nupkg" --debug:custom-hive "$hive" 2>&1) || { echo "$log"; fail "dotnet new install"; }
log=$(dotnet new autodiff-console -n FromTemplate --debug:custom-hive "$hive" 2>&1) || { echo "$log"; fail "dotnet new autodiff-console"; }
[ -f FromTemplate/FromTemplate.csproj ] || fail "the template did not create FromTemplate/FromTemplate.csproj"
grep -qF "Include=\"AutoDiff\" Version=\"$version\"" FromTemplate/FromTemplate.csproj || { cat FromTemplate/FromTemplate.csproj; fail "the template does not reference AutoDiff $version"; }
cd FromTemplate
step "build and run"
log=$(dotnet restore 2>&1) || { echo "$log"; fail "the template's project does not restore"; }
log=$(dotnet build --no-restore -p:TreatWarningsAsErrors=true 2>&1) || { echo "$log"; fail "the template's project does not build"; }
[ -n "$(find obj -path '*generated/AutoDiff.Generator/*' -name 'Functions.F.g.cs')" ] || fail "the template's project has no generated Functions.F.g.cs"
out=$(dotnet run --no-build 2>&1) || { echo "$out"; fail "the template's project exited non-zero"; }
echo "$out"
expect "$out" "f(1, 2) = 2.841471"
expect "$out" "gradient = (2.540302, 1.000000)"
expect "$out" "by hand  = (2.540302, 1.000000)"
expect "$out" "hessian  = [[-0.841471, 1.000000], [1.000000, 0.000000]]"
cd "$work"

step "passed"
echo "consumer check passed in $((SECONDS - started)) s"
