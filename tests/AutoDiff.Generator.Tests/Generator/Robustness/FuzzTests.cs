using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace AutoDiff.Generator.Tests.Generator.Robustness;

/// <summary>
/// "A generator that never fails": thousands of sources, random programs and the test project's own files cut
/// up the way half-typed code is in an editor, go through the generator and the analyzer. Neither may throw,
/// the generated code must compile without errors or warnings whatever the user's code looks like, and the two
/// must agree on which methods get derivatives. Each case has its own seed; a failure prints the seed and the
/// source. <c>AUTODIFF_FUZZ_CASES=N</c> runs N cases instead of 2,000 (a soak); <c>AUTODIFF_FUZZ_SEED=S</c> runs only
/// case S, with details, to reproduce it; <c>AUTODIFF_FUZZ_FILE=path</c> checks one file (a case reduced by hand);
/// <c>AUTODIFF_FUZZ_REPORT=path</c> writes every failure there, not only the first three.
/// </summary>
public class FuzzTests
{
    private readonly ITestOutputHelper output;

    public FuzzTests(ITestOutputHelper output) => this.output = output;

    private static int CaseCount => int.TryParse(Environment.GetEnvironmentVariable("AUTODIFF_FUZZ_CASES"), out var n) && n > 0 ? n : 2000;

    [Fact]
    public void RandomAndMutatedSourcesNeverBreakTheGeneratorOrTheAnalyzer()
    {
        if (Environment.GetEnvironmentVariable("AUTODIFF_FUZZ_FILE") is { Length: > 0 } path)
        {
            // A source to check on its own (a case being reduced by hand), with details.
            var found = FuzzHarness.Run(File.ReadAllText(path), output.WriteLine).Problems;
            Assert.True(found.Count == 0, string.Join("\n", found));
            return;
        }
        var corpus = FuzzCorpus.Files;
        Assert.True(corpus.Count >= 10, $"The fuzz corpus (copies of tests/AutoDiff.Tests/**/*.cs next to the test assembly) has only {corpus.Count} files.");
        var seeds = int.TryParse(Environment.GetEnvironmentVariable("AUTODIFF_FUZZ_SEED"), out var only)
            ? new[] { only }
            : Enumerable.Range(0, CaseCount).ToArray();

        Action<string>? log = seeds.Length == 1 ? output.WriteLine : null;
        var failures = new ConcurrentBag<(int Seed, string Report)>();
        int files = 0;
        var stopwatch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Parallel.ForEach(seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, seed =>
        {
            var (source, description) = FuzzCases.Make(seed, corpus);
            List<string> problems;
            try
            {
                var result = FuzzHarness.Run(source, log);
                problems = result.Problems;
                Interlocked.Add(ref files, result.HintNames.Count);
            }
            catch (Exception exception)
            {
                problems = new List<string> { "The harness itself threw: " + exception };
            }
            if (problems.Count > 0)
            {
                failures.Add((seed, $"Case {seed} ({description}; rerun with AUTODIFF_FUZZ_SEED={seed}):\n"
                    + string.Join("\n", problems.Select(p => "  - " + p)) + "\n--- source ---\n" + source + "\n--- end of source ---"));
            }
        });
        var report = Environment.GetEnvironmentVariable("AUTODIFF_FUZZ_REPORT");
        if (!string.IsNullOrEmpty(report)) File.WriteAllText(report, string.Join("\n\n", failures.OrderBy(f => f.Seed).Select(f => f.Report)));
        output.WriteLine($"{seeds.Length} cases, {files} generated files, in {stopwatch.Elapsed.TotalSeconds:F1} s on {Environment.ProcessorCount} cores "
            + $"({(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s of processor time in this process).");

        var sorted = failures.OrderBy(f => f.Seed).ToList();
        Assert.True(sorted.Count == 0,
            $"{sorted.Count} of {seeds.Length} cases failed (seeds {string.Join(", ", sorted.Take(30).Select(f => f.Seed))}). The first ones:\n\n"
            + string.Join("\n\n", sorted.Take(3).Select(f => f.Report)));
    }

    /// <summary>
    /// Parameters and locals named like the generator's own names (seed, value, dX, xTangent, _tape, _t0, ...),
    /// keywords escaped with '@', and names that shadow types: the generated code still compiles, without warnings.
    /// </summary>
    [Fact]
    public void GeneratedNamesNeverCollideWithUserNames()
    {
        var source = """
            using System;
            using AutoDiff;

            namespace Names;

            public static partial class Collisions
            {
                [Differentiable]
                public static double Scalars(double value, double seed, double dx, double dxTangent, double tape, double result, double adjoint, double t)
                {
                    double x_2 = value * seed;
                    double dValue = x_2 + dx * dxTangent;
                    double _d_x_2 = Math.Sin(dValue) * tape;
                    double _t0 = _d_x_2 * _d_x_2 + result;
                    double _tape = _t0 * adjoint;
                    double _result = _tape > 0 ? _tape : -_tape;
                    double _returned = t * _result;
                    if (t > 0) return _returned * value;
                    double tangent = _returned + 1;
                    return tangent * t;
                }

                [Differentiable]
                public static double Keywords(double @double, double @in, double @return, int @int)
                {
                    double @var = @double * @in;
                    double @fixed = @var;
                    for (int @for = 0; @for < @int; @for++) @fixed = @fixed * @return + Math.Cos(@var);
                    return @fixed;
                }

                [Differentiable]
                public static double Loop(double[] values, double x, double dX, int i, int n)
                {
                    double result = 0;
                    double value = x;
                    for (int k = i; k < n && k < values.Length; k++)
                    {
                        double _d_value = values[k] * value;
                        if (_d_value > dX) break;
                        value = Math.Exp(-value * values[k]);
                        result += _d_value * value;
                    }
                    return result * dX;
                }

                [Differentiable]
                public static double Arrays(double[] x, double[] dX, double[] xTangent, double[] vX, double[] seed, double hessian, int k, int column, int size)
                {
                    double value = 0;
                    double[] _iterations0 = new double[3];
                    for (int i = 0; i < x.Length && i < dX.Length && i < xTangent.Length; i++)
                    {
                        double gradientX = x[i] * dX[i];
                        _iterations0[i % 3] = gradientX * xTangent[i] + vX[0] * seed[0];
                        value += _iterations0[i % 3] * hessian;
                    }
                    return value + k + column + size;
                }

                [Differentiable]
                public static double Tangents(double x, double xTangent, double resultTangent, double tangent, double _xTangent, double vX, double gradientX, double hvX, double xOffset)
                {
                    double y = x * xTangent * resultTangent * tangent;
                    return y * _xTangent * vX * gradientX * hvX * xOffset;
                }

                [Differentiable]
                public static double Shadows(double Math, double System, double AutoDiff, double Tape, double global, double Span)
                {
                    double @this = Math * System;
                    return @this * AutoDiff * Tape * global * Span + global::System.Math.Sin(Math);
                }

                [Differentiable]
                public static void Outputs(ReadOnlySpan<double> x, double dY, double seed, Span<double> y, Span<double> dX)
                {
                    for (int i = 0; i < y.Length; i++) y[i] = x[i] * dY * seed;
                    dX[0] = x[0] * seed;
                }

                [Differentiable]
                public static double[] Returned(double[] x, double seed, double value, double resultTangent)
                {
                    double[] result = new double[x.Length];
                    for (int i = 0; i < x.Length; i++) result[i] = x[i] * seed * value * resultTangent;
                    return result;
                }

                [Differentiable]
                public static double Internals(double x, double[] w, int n)
                {
                    double _returned = 0, _g0 = x, _value0 = 1, _ignored = 0, _tangent0 = 0;
                    bool _break0 = false, _continue0 = false, _branch0 = x > 0;
                    int _iteration0 = 0, _iterations0 = 0, _i_start = 0;
                    for (int i = 0; i < n && i < w.Length; i++)
                    {
                        if (_branch0 && w[i] > 1) break;
                        if (w[i] < -1) continue;
                        _g0 = _g0 * w[i] + Math.Sin(_g0);
                        _value0 = _value0 * _g0 + Tangents(_g0, x, x, x, x, x, x, x, x);
                        _iteration0++;
                    }
                    if (_break0 || _continue0) return _ignored + _tangent0;
                    _returned = _g0 * _value0 + _iteration0 + _iterations0 + _i_start;
                    return _returned;
                }

                [Differentiable]
                public static double Calls(double x, double y) => Scalars(x, y, x, y, x, y, x, y) + Keywords(x, y, x, 2) + Tangents(x, y, x, y, x, y, x, y, x);
            }
            """;
        var result = FuzzHarness.Run(source);
        Assert.True(result.Problems.Count == 0, string.Join("\n", result.Problems));
        Assert.Equal(10, result.HintNames.Count);
    }
}
