using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace AutoDiff;

/// <summary>
/// The stack on which a generated pullback keeps the values its reverse sweep needs from loops: values that
/// an iteration overwrites, branch decisions and iteration counts. Generated code rents one per call from a
/// per-thread pool and returns it, so a pullback allocates nothing in steady state.
/// </summary>
/// <remarks>Each element type has its own stack; values come off in the reverse of the order they went on.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class Tape
{
    [ThreadStatic]
    private static Stack<Tape>? pool;

    private double[] doubles = new double[64];
    private float[] singles = new float[16];
    private long[] integers = new long[64];
    private bool[] booleans = new bool[64];
    private int doubleCount;
    private int singleCount;
    private int integerCount;
    private int booleanCount;

    private Tape()
    {
    }

    /// <summary>The number of values on the tape (for tests and diagnostics).</summary>
    public int Count => doubleCount + singleCount + integerCount + booleanCount;

    /// <summary>Takes an empty tape from this thread's pool, or makes one.</summary>
    public static Tape Rent()
    {
        var stack = pool ??= new Stack<Tape>();
        return stack.Count > 0 ? stack.Pop() : new Tape();
    }

    /// <summary>Empties the tape and gives it back to this thread's pool; its storage is kept for the next call.</summary>
    public static void Return(Tape tape)
    {
        tape.doubleCount = tape.singleCount = tape.integerCount = tape.booleanCount = 0;
        (pool ??= new Stack<Tape>()).Push(tape);
    }

    /// <summary>Pushes a double.</summary>
    public void Push(double value)
    {
        if (doubleCount == doubles.Length) Array.Resize(ref doubles, doubles.Length * 2);
        doubles[doubleCount++] = value;
    }

    /// <summary>Pushes a float.</summary>
    public void Push(float value)
    {
        if (singleCount == singles.Length) Array.Resize(ref singles, singles.Length * 2);
        singles[singleCount++] = value;
    }

    /// <summary>Pushes a long (ints share this stack).</summary>
    public void Push(long value)
    {
        if (integerCount == integers.Length) Array.Resize(ref integers, integers.Length * 2);
        integers[integerCount++] = value;
    }

    /// <summary>Pushes an int.</summary>
    public void Push(int value) => Push((long)value);

    /// <summary>Pushes a bool.</summary>
    public void Push(bool value)
    {
        if (booleanCount == booleans.Length) Array.Resize(ref booleans, booleans.Length * 2);
        booleans[booleanCount++] = value;
    }

    /// <summary>Pops the double pushed last.</summary>
    public double PopDouble() => doubles[--doubleCount];

    /// <summary>Pops the float pushed last.</summary>
    public float PopSingle() => singles[--singleCount];

    /// <summary>Pops the long pushed last.</summary>
    public long PopInt64() => integers[--integerCount];

    /// <summary>Pops the int pushed last.</summary>
    public int PopInt32() => (int)integers[--integerCount];

    /// <summary>Pops the bool pushed last.</summary>
    public bool PopBoolean() => booleans[--booleanCount];
}
