using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;

namespace AutoDiff.Benchmarks;

/// <summary>
/// After a run: the ratios issue 7's targets are stated in (gradient/objective, generated/hand-written, H·v/gradient,
/// forward/objective, central differences/gradient), with the bytes allocated per call. They are ratios of each
/// benchmark's fastest iteration (BenchmarkDotNet's Min): on a machine shared with other work, a slowdown from other
/// processes lands on whichever benchmark runs at the time, and the minimum is the estimate least affected by it (the
/// Ratio column of BenchmarkDotNet's own tables is a ratio of means). Printed and written to
/// BenchmarkDotNet.Artifacts/results/ratios.md.
/// </summary>
public static class RatioReport
{
    public static void Write(IEnumerable<Summary> summaries)
    {
        var rows = new List<(string Case, string Method, double Min, long? Allocated)>();
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                if (!report.Success || report.ResultStatistics is null) continue;
                var benchmark = report.BenchmarkCase;
                // A "…SlowBenchmarks" class holds a case's slow methods (monitoring job): reported with the case.
                string type = benchmark.Descriptor.Type.Name.Replace("Benchmarks", "").Replace("Slow", "");
                string parameters = benchmark.HasParameters ? " " + benchmark.Parameters.DisplayInfo.Trim('[', ']') : "";
                long? allocated = report.GcStats.GetBytesAllocatedPerOperation(benchmark);
                rows.Add((type + parameters, benchmark.Descriptor.WorkloadMethod.Name, report.ResultStatistics.Min, allocated));
            }
        }
        if (rows.Count == 0) return;

        var text = new StringBuilder();
        text.AppendLine("Times: each benchmark's fastest iteration; ratios of those.");
        text.AppendLine();
        text.AppendLine("| case | objective | generated gradient | hand-written | gradient / objective (gen.) | gradient / objective (hand) | generated / hand-written | forward / objective | H·v / gradient | central diff. / gradient | allocated per call (objective / gen. gradient / hand) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in rows.GroupBy(r => r.Case))
        {
            var m = group.ToDictionary(r => r.Method);
            if (!m.ContainsKey("Objective")) continue;
            double? Fastest(string name) => m.TryGetValue(name, out var r) ? r.Min : null;
            string Alloc(string name) => m.TryGetValue(name, out var r) && r.Allocated is long b ? Bytes(b) : "–";
            text.AppendLine($"| {group.Key} | {Time(Fastest("Objective"))} | {Time(Fastest("GeneratedGradient"))} | {Time(Fastest("HandGradient"))} | " +
                            $"{Ratio(Fastest("GeneratedGradient"), Fastest("Objective"))} | {Ratio(Fastest("HandGradient"), Fastest("Objective"))} | " +
                            $"{Ratio(Fastest("GeneratedGradient"), Fastest("HandGradient"))} | {Ratio(Fastest("ForwardTangent"), Fastest("Objective"))} | " +
                            $"{Ratio(Fastest("HessianVector"), Fastest("GeneratedGradient"))} | {Ratio(Fastest("CentralDifferences"), Fastest("GeneratedGradient"))} | " +
                            $"{Alloc("Objective")} / {Alloc("GeneratedGradient")} / {Alloc("HandGradient")} |");
        }
        text.AppendLine();
        text.AppendLine("| other | method | fastest iteration | allocated |");
        text.AppendLine("|---|---|---|---|");
        var known = new[] { "Objective", "GeneratedGradient", "HandGradient", "ForwardTangent", "HessianVector", "CentralDifferences" };
        foreach (var r in rows.Where(r => !rows.Any(o => o.Case == r.Case && o.Method == "Objective") || !known.Contains(r.Method)))
        {
            text.AppendLine($"| {r.Case} | {r.Method} | {Time(r.Min)} | {(r.Allocated is long b ? Bytes(b) : "–")} |");
        }

        Console.WriteLine();
        Console.WriteLine("Ratios (from this run's fastest iterations):");
        Console.WriteLine(text);
        var folder = Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts", "results");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "ratios.md"), text.ToString());
    }

    private static string Ratio(double? a, double? b) => a is double x && b is double y && y > 0 ? (x / y).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "–";

    private static string Time(double? nanoseconds) => nanoseconds switch
    {
        null => "–",
        < 1e3 => nanoseconds.Value.ToString("0.0", CultureInfo.InvariantCulture) + " ns",
        < 1e6 => (nanoseconds.Value / 1e3).ToString("0.00", CultureInfo.InvariantCulture) + " µs",
        < 1e9 => (nanoseconds.Value / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " ms",
        _ => (nanoseconds.Value / 1e9).ToString("0.000", CultureInfo.InvariantCulture) + " s",
    };

    private static string Bytes(long b) => b switch
    {
        0 => "0 B",
        < 1024 => $"{b} B",
        < 1024 * 1024 => (b / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB",
        _ => (b / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
    };
}
