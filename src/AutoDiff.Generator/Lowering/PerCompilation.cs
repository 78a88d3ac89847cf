using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AutoDiff.Generator.Lowering;

/// <summary>
/// Facts about a compilation that every [Differentiable] method of it asks for (the errors in a file, the member names of
/// a type), worked out once per compilation and key instead of once per method: asking Roslyn for them method by method
/// made a file or a type of many methods quadratic to analyse. A compilation is immutable, so nothing goes stale; the
/// table holds the compilation weakly, so the facts go when it does.
/// </summary>
internal sealed class PerCompilation<TKey, TValue>
    where TKey : notnull
{
    private readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<TKey, Lazy<TValue>>> table = new();
    private readonly IEqualityComparer<TKey>? comparer;

    public PerCompilation(IEqualityComparer<TKey>? comparer = null) => this.comparer = comparer;

    /// <summary>The value for <paramref name="key"/> in <paramref name="compilation"/>, made by <paramref name="make"/> the first time.</summary>
    public TValue Get(Compilation compilation, TKey key, Func<TKey, TValue> make)
    {
        var values = ValuesOf(compilation);
        var value = values.GetOrAdd(key, k => new Lazy<TValue>(() => make(k)));
        try
        {
            return value.Value;
        }
        catch (OperationCanceledException)
        {
            // A cancelled computation is not a fact: the next caller (the same compilation analysed again) starts over.
            ((ICollection<KeyValuePair<TKey, Lazy<TValue>>>)values).Remove(new KeyValuePair<TKey, Lazy<TValue>>(key, value));
            throw;
        }
    }

    /// <summary>
    /// The value for <paramref name="key"/> when one is known already (made, or <see cref="Set"/>), without making one: for
    /// a computation that recurses into other keys and cannot wait on its own.
    /// </summary>
    public bool TryGet(Compilation compilation, TKey key, out TValue value)
    {
        if (ValuesOf(compilation).TryGetValue(key, out var known) && known.IsValueCreated)
        {
            value = known.Value;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>Keeps <paramref name="value"/> for <paramref name="key"/> unless one is known already.</summary>
    public void Set(Compilation compilation, TKey key, TValue value)
    {
        var known = new Lazy<TValue>(() => value);
        _ = known.Value;
        ValuesOf(compilation).TryAdd(key, known);
    }

    private ConcurrentDictionary<TKey, Lazy<TValue>> ValuesOf(Compilation compilation)
        => table.GetValue(compilation, _ => new ConcurrentDictionary<TKey, Lazy<TValue>>(comparer ?? EqualityComparer<TKey>.Default));
}
