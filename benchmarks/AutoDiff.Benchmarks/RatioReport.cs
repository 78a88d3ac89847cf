using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;

namespace AutoDiff.Benchmarks;

/// <summary>
/// After a run: the ratios issue 7's targets are stated in, computed from the run's means (gradient/objective,
/// generated/hand-written, H·v/gradient, forward/objective, central differences/gradient), with the bytes allocated per
/// call. Printed and written to BenchmarkDotNet.Artifacts/results/ratios.md.
/// </summary>
public static class RatioReport
{
    public static void Write(IEnumerable<Summary> summaries)
    {
        var rows = new List<(string Case, string Method, double Mean, long? Allocated)>();
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                if (!report.Success || report.ResultStatistics is null) continue;
                var benchmark = report.BenchmarkCase;
                string type = benchmark.Descriptor.Type.Name.Replace("Benchmarks", "");
                string parameters = benchmark.HasParameters ? " " + benchmark.Parameters.DisplayInfo.Trim('[', ']') : "";
                long? allocated = report.GcStats.GetBytesAllocatedPerOperation(benchmark);
                rows.Add((type + parameters, benchmark.Descriptor.WorkloadMethod.Name, report.ResultStatistics.Mean, allocated));
            }
        }
        if (rows.Count == 0) return;

        var text = new StringBuilder();
        text.AppendLine("| case | objective | generated gradient | hand-written | gradient / objective (gen.) | gradient / objective (hand) | generated / hand-written | forward / objective | H·v / gradient | central diff. / gradient | allocated per gradient call (gen. / hand) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in rows.GroupBy(r => r.Case))
        {
            var m = group.ToDictionary(r => r.Method);
            if (!m.ContainsKey("Objective")) continue;
            double? Mean(string name) => m.TryGetValue(name, out var r) ? r.Mean : null;
            string Alloc(string name) => m.TryGetValue(name, out var r) && r.Allocated is long b ? Bytes(b) : "–";
            text.AppendLine($"| {group.Key} | {Time(Mean("Objective"))} | {Time(Mean("GeneratedGradient"))} | {Time(Mean("HandGradient"))} | " +
                            $"{Ratio(Mean("GeneratedGradient"), Mean("Objective"))} | {Ratio(Mean("HandGradient"), Mean("Objective"))} | " +
                            $"{Ratio(Mean("GeneratedGradient"), Mean("HandGradient"))} | {Ratio(Mean("ForwardTangent"), Mean("Objective"))} | " +
                            $"{Ratio(Mean("HessianVector"), Mean("GeneratedGradient"))} | {Ratio(Mean("CentralDifferences"), Mean("GeneratedGradient"))} | " +
                            $"{Alloc("GeneratedGradient")} / {Alloc("HandGradient")} |");
        }
        text.AppendLine();
        text.AppendLine("| other | method | mean | allocated |");
        text.AppendLine("|---|---|---|---|");
        foreach (var r in rows.Where(r => !rows.Any(o => o.Case == r.Case && o.Method == "Objective")))
        {
            text.AppendLine($"| {r.Case} | {r.Method} | {Time(r.Mean)} | {(r.Allocated is long b ? Bytes(b) : "–")} |");
        }

        Console.WriteLine();
        Console.WriteLine("Ratios (from this run's means):");
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
