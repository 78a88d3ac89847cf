using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using Perfolizer.Horology;

namespace AutoDiff.Benchmarks;

/// <summary>Set by Program from the command line before BenchmarkDotNet reads the configurations.</summary>
public static class RunSettings
{
    /// <summary>--quick: few iterations, so that the whole suite runs in about a quarter of an hour on two cores.</summary>
    public static bool Quick { get; set; }
}

/// <summary>
/// Fast cases (microseconds to a few hundred milliseconds a call): BenchmarkDotNet's default job, or with --quick a
/// short run (1 launch, 2 warm-up and 10 measured iterations of about 0.15 s). Baseline: the objective, so the Ratio
/// column is time / objective's time.
/// </summary>
public sealed class FastConfig : ManualConfig
{
    public FastConfig()
    {
        AddJob(RunSettings.Quick
            ? Job.Default.WithId("Quick").WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(10)
                .WithIterationTime(TimeInterval.FromMilliseconds(150))
            : Job.Default);
        Common(this);
    }

    internal static void Common(ManualConfig config)
    {
        config.AddDiagnoser(MemoryDiagnoser.Default);
        config.AddColumn(StatisticColumn.Min);
        config.WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared));
        config.HideColumns(Column.Error, Column.StdDev, Column.RatioSD, Column.AllocRatio);
        config.WithOption(ConfigOptions.JoinSummary, false);
    }
}

/// <summary>
/// Slow cases (a training epoch, a full finite-difference gradient, a generator run): RunStrategy.Monitoring, one call
/// per iteration, no pilot: 1 warm-up and 5 iterations with --quick, 2 and 10 otherwise.
/// </summary>
public sealed class SlowConfig : ManualConfig
{
    public SlowConfig()
    {
        AddJob(Job.Default.WithId(RunSettings.Quick ? "QuickMonitoring" : "Monitoring").WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1).WithWarmupCount(RunSettings.Quick ? 1 : 2).WithIterationCount(RunSettings.Quick ? 5 : 10));
        FastConfig.Common(this);
    }
}
