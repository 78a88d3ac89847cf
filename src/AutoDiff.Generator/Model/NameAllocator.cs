using System.Collections.Generic;

namespace AutoDiff.Generator.Model;

/// <summary>Hands out names that collide neither with the user's names nor with each other.</summary>
internal sealed class NameAllocator
{
    private readonly HashSet<string> taken;

    public NameAllocator(IEnumerable<string> reserved) => taken = new HashSet<string>(reserved);

    private NameAllocator(NameAllocator other)
    {
        taken = new HashSet<string>(other.taken);
        counters = new Dictionary<string, int>(other.counters);
    }

    /// <summary>
    /// A name without its keyword escape (<c>@fixed</c> gives <c>fixed</c>), to build other names from: <c>_d_@fixed</c>
    /// is not an identifier, <c>_d_fixed</c> is.
    /// </summary>
    public static string Unescaped(string name) => name.StartsWith("@") ? name.Substring(1) : name;

    /// <summary>An independent copy: names it hands out are not seen by this allocator.</summary>
    public NameAllocator Clone() => new(this);

    /// <summary>Returns <paramref name="preferred"/> if free, else the first free <c>preferred2</c>, <c>preferred3</c>, ...</summary>
    public string Fresh(string preferred)
    {
        if (taken.Add(preferred)) return preferred;
        for (int i = 2; ; i++)
        {
            var candidate = preferred + i;
            if (taken.Add(candidate)) return candidate;
        }
    }

    /// <summary>A numbered name such as <c>_t0</c>, <c>_t1</c>: numbered from zero for each prefix.</summary>
    public string Numbered(string prefix)
    {
        counters.TryGetValue(prefix, out int next);
        while (true)
        {
            var candidate = prefix + next++;
            if (taken.Add(candidate))
            {
                counters[prefix] = next;
                return candidate;
            }
        }
    }

    private readonly Dictionary<string, int> counters = new();
}
