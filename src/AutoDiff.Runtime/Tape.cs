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

    /// <summary>
    /// Empties the tape and gives it back to this thread's pool, with the arrays rented through it; its storage is
    /// kept for the next call.
    /// </summary>
    public static void Return(Tape tape)
    {
        tape.doubleCount = tape.singleCount = tape.integerCount = tape.booleanCount = 0;
        tape.doubleArrays?.ReturnAll();
        tape.singleArrays?.ReturnAll();
        tape.doubleMatrices?.ReturnAll();
        tape.singleMatrices?.ReturnAll();
        (pool ??= new Stack<Tape>()).Push(tape);
    }

    private ArrayPool<double[]>? doubleArrays;
    private ArrayPool<float[]>? singleArrays;
    private ArrayPool<double[,]>? doubleMatrices;
    private ArrayPool<float[,]>? singleMatrices;

    /// <summary>A zeroed double[length] that lives until the tape is returned (a pullback's local array or adjoint).</summary>
    public double[] RentDoubleArray(int length)
        => (doubleArrays ??= new ArrayPool<double[]>(key => new double[key.Rows], array => Array.Clear(array))).Rent((length, 0));

    /// <summary>A zeroed float[length] that lives until the tape is returned.</summary>
    public float[] RentSingleArray(int length)
        => (singleArrays ??= new ArrayPool<float[]>(key => new float[key.Rows], array => Array.Clear(array))).Rent((length, 0));

    /// <summary>A zeroed double[rows, columns] that lives until the tape is returned.</summary>
    public double[,] RentDoubleMatrix(int rows, int columns)
        => (doubleMatrices ??= new ArrayPool<double[,]>(key => new double[key.Rows, key.Columns], array => Array.Clear(array))).Rent((rows, columns));

    /// <summary>A zeroed float[rows, columns] that lives until the tape is returned.</summary>
    public float[,] RentSingleMatrix(int rows, int columns)
        => (singleMatrices ??= new ArrayPool<float[,]>(key => new float[key.Rows, key.Columns], array => Array.Clear(array))).Rent((rows, columns));

    /// <summary>The number of arrays rented through this tape since it was rented (for tests).</summary>
    public int RentedArrays => (doubleArrays?.Rented ?? 0) + (singleArrays?.Rented ?? 0) + (doubleMatrices?.Rented ?? 0) + (singleMatrices?.Rented ?? 0);

    /// <summary>Arrays of exact sizes (unlike System.Buffers.ArrayPool, whose arrays may be longer), by size.</summary>
    private sealed class ArrayPool<T>
        where T : class
    {
        private readonly Dictionary<(int Rows, int Columns), Stack<T>> free = new();
        private readonly List<((int Rows, int Columns) Key, T Array)> rented = new();
        private readonly Func<(int Rows, int Columns), T> create;
        private readonly Action<T> clear;

        public ArrayPool(Func<(int Rows, int Columns), T> create, Action<T> clear)
        {
            this.create = create;
            this.clear = clear;
        }

        public int Rented => rented.Count;

        public T Rent((int Rows, int Columns) key)
        {
            T array;
            if (free.TryGetValue(key, out var stack) && stack.Count > 0)
            {
                array = stack.Pop();
                clear(array);
            }
            else
            {
                array = create(key);
            }
            rented.Add((key, array));
            return array;
        }

        public void ReturnAll()
        {
            foreach (var (key, array) in rented)
            {
                if (!free.TryGetValue(key, out var stack)) free[key] = stack = new Stack<T>();
                stack.Push(array);
            }
            rented.Clear();
        }
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
