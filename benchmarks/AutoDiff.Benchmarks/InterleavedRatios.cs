using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace AutoDiff.Benchmarks;

/// <summary>
/// A cross-check of BenchmarkDotNet's ratios that other load on the machine cannot skew: in one process, the methods of
/// a case run in turn, round after round (each round calls each method for about 20 ms, after 0.4 s of warm-up each, so
/// that tiered compilation has finished), and each ratio is the median
/// over rounds of the ratio within a round. BenchmarkDotNet measures one method after another, each for a few seconds,
/// so a burst of other work lands on one side of a ratio; here it lands on both. Written to
/// BenchmarkDotNet.Artifacts/results/ratios-interleaved.md.
/// </summary>
public static class InterleavedRatios
{
    private static readonly string[] Methods = ["Objective", "GeneratedGradient", "HandGradient", "ForwardTangent", "HessianVector"];

    public static void Run(int rounds = 21)
    {
        var cases = new List<(string Name, object Instance)>();
        foreach (int n in new[] { 2, 100, 10_000 }) cases.Add(($"Rosenbrock N={n}", new RosenbrockBenchmarks { N = n }));
        cases.Add(("Logistic", new LogisticBenchmarks()));
        cases.Add(("Perceptron", new PerceptronBenchmarks()));
        foreach (var shape in new[] { "d=2,K=5", "d=10,K=25" }) cases.Add(($"Gmm Shape={shape}", new GmmBenchmarks { Shape = shape }));
        cases.Add(("Recurrence", new RecurrenceBenchmarks()));

        var text = new StringBuilder();
        text.AppendLine($"Interleaved, in one process: medians over {rounds} rounds of the ratio within each round.");
        text.AppendLine();
        text.AppendLine("| case | gradient / objective (gen.) | gradient / objective (hand) | generated / hand-written | forward / objective | H·v / gradient |");
        text.AppendLine("|---|---|---|---|---|---|");
        Console.WriteLine();
        Console.WriteLine("Interleaved ratios (cross-check):");
        foreach (var (name, instance) in cases)
        {
            instance.GetType().GetMethod("Setup")!.Invoke(instance, null);
            var calls = Methods.Select(m => (Func<double>)instance.GetType().GetMethod(m, BindingFlags.Public | BindingFlags.Instance)!
                .CreateDelegate(typeof(Func<double>), instance)).ToArray();
            var repeats = calls.Select(Calibrate).ToArray();
            var times = new double[Methods.Length][];
            for (int m = 0; m < Methods.Length; m++) times[m] = new double[rounds];
            for (int r = 0; r < rounds; r++)
            {
                for (int m = 0; m < Methods.Length; m++) times[m][r] = Measure(calls[m], repeats[m]);
            }
            string Ratio(int a, int b) => Median(Enumerable.Range(0, rounds).Select(r => times[a][r] / times[b][r])).ToString("0.00", CultureInfo.InvariantCulture) + "×";
            string line = $"| {name} | {Ratio(1, 0)} | {Ratio(2, 0)} | {Ratio(1, 2)} | {Ratio(3, 0)} | {Ratio(4, 1)} |";
            text.AppendLine(line);
            Console.WriteLine(line);
        }
        var folder = Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts", "results");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "ratios-interleaved.md"), text.ToString());
    }

    private static int Calibrate(Func<double> call)
    {
        // Warm up long enough for tiered compilation to reach its optimised code (and on-stack replacement to settle).
        var warmup = Stopwatch.StartNew();
        for (int i = 0; i < 100 || warmup.Elapsed.TotalMilliseconds < 400; i++) call();
        int n = 1;
        while (true)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < n; i++) call();
            if (clock.Elapsed.TotalMilliseconds >= 20 || n >= 1 << 24) return n;
            n *= 2;
        }
    }

    private static double Measure(Func<double> call, int repeats)
    {
        double sink = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++) sink += call();
        double elapsed = clock.Elapsed.TotalMilliseconds / repeats;
        return double.IsNaN(sink) ? elapsed * 1.0000001 : elapsed;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
    }
}
