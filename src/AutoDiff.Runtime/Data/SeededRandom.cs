using System;

namespace AutoDiff.Data;

/// <summary>
/// A small seeded generator (SplitMix64) whose sequence is fixed by this code, so that shuffles and splits are the
/// same for a seed on every platform and runtime version (System.Random's algorithms are not a public contract).
/// </summary>
internal sealed class SeededRandom
{
    private ulong state;

    public SeededRandom(int seed) => state = unchecked((ulong)(long)seed * 0x9E3779B97F4A7C15UL ^ 0xD1B54A32D192ED03UL);

    public ulong NextUInt64()
    {
        unchecked
        {
            ulong z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A uniform integer in 0 .. <paramref name="exclusiveBound"/> − 1, without modulo bias.</summary>
    public int Next(int exclusiveBound)
    {
        if (exclusiveBound <= 0) throw new ArgumentOutOfRangeException(nameof(exclusiveBound));
        ulong bound = (ulong)exclusiveBound;
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong x;
        do x = NextUInt64(); while (x >= limit);
        return (int)(x % bound);
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
