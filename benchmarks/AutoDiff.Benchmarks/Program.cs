// AutoDiff's benchmarks (issue 7): generated derivatives against the objective, hand-written gradients, forward mode,
// central differences and H·v; training against ML.NET; the generator itself. See docs/benchmarks.md.
//
//   dotnet run -c Release --project benchmarks/AutoDiff.Benchmarks -- --quick          (the whole suite, 5 to 8 min on 2 cores)
//   dotnet run -c Release --project benchmarks/AutoDiff.Benchmarks                     (BenchmarkDotNet's default job: longer)
//   dotnet run -c Release --project benchmarks/AutoDiff.Benchmarks -- --quick --filter '*Gmm*'
//   dotnet run -c Release --project benchmarks/AutoDiff.Benchmarks -- --check          (the self-check only)
//   dotnet run -c Release --project benchmarks/AutoDiff.Benchmarks -- --interleaved    (the interleaved ratio cross-check only)
//
// Other arguments go to BenchmarkDotNet's switcher (--filter, --list flat, ...). The self-check runs first and aborts the
// run on any mismatch. After the run: the ratios table (RatioReport) and, when the gradient cases ran, the interleaved
// cross-check of the same ratios (InterleavedRatios).
using AutoDiff.Benchmarks;
using BenchmarkDotNet.Running;

var rest = new List<string>();
bool checkOnly = false, skipTraining = false, interleavedOnly = false;
foreach (var arg in args)
{
    switch (arg)
    {
        case "--quick": RunSettings.Quick = true; break;
        case "--check": checkOnly = true; break;
        case "--no-training-check": skipTraining = true; break;
        case "--interleaved": interleavedOnly = true; break;
        default: rest.Add(arg); break;
    }
}

bool listing = rest.Contains("--list") || rest.Contains("--help") || rest.Contains("--version");
if (!listing && !SelfCheck.Run(training: !skipTraining)) return 1;
if (checkOnly) return 0;
if (interleavedOnly)
{
    InterleavedRatios.Run();
    return 0;
}
if (!listing && !rest.Contains("--filter") && !rest.Contains("-f")) rest.AddRange(["--filter", "*"]);

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest.ToArray());
if (!listing)
{
    RatioReport.Write(summaries);
    if (summaries.Any(s => s.Reports.Any(r => r.BenchmarkCase.Descriptor.Type == typeof(GmmBenchmarks)))) InterleavedRatios.Run();
}
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 2 : 0;
