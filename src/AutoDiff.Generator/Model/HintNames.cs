using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoDiff.Generator.Model;

/// <summary>
/// The names of generated files (Roslyn's hint names), which must be unique within the generator: a duplicate makes
/// Roslyn drop the generator's whole output (warning CS8785), so every method of the project would lose its derivatives.
/// </summary>
/// <remarks>
/// A method's file is named after it (<c>Ns.Outer.Inner{T}.F.g.cs</c>, see <c>MethodAnalysis.HintName</c>): type
/// parameters go in braces and an overloaded method's parameter types, fully qualified, in parentheses
/// (<c>Shapes.Norm(System.Numerics.Vector2).g.cs</c>). Braces, parentheses and the dash before a role
/// (<c>-Kernels</c>, <c>-Directional</c>) cannot occur in identifiers, so two methods never get one name. Roslyn compares
/// hint names ignoring case, which identifiers do not: <see cref="MakeUnique"/> numbers such names as a last step.
/// </remarks>
internal static class HintNames
{
    private const string Extension = ".g.cs";

    /// <summary>The file of another part of a method's output: <c>T.F.g.cs</c> with role <c>Kernels</c> is <c>T.F-Kernels.g.cs</c>.</summary>
    public static string WithRole(string hintName, string role) => Stem(hintName) + "-" + role + Extension;

    /// <summary>
    /// The files to add, each under a name no other one has, ignoring case, in a stable order: files of one exact name
    /// (the same method declared twice, which does not compile) keep the first; names that differ only by case
    /// (methods <c>Loss</c> and <c>loss</c>) get <c>" (2)"</c>, <c>" (3)"</c>, … in ordinal order.
    /// </summary>
    public static List<(string HintName, T File)> MakeUnique<T>(IEnumerable<(string HintName, T File)> files)
    {
        var result = new List<(string, T)>();
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var exact = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (hintName, file) in files.OrderBy(f => f.HintName, StringComparer.Ordinal))
        {
            if (!exact.Add(hintName)) continue;
            var name = hintName;
            for (int n = 2; !taken.Add(name); n++) name = Stem(hintName) + " (" + n + ")" + Extension;
            result.Add((name, file));
        }
        return result;
    }

    /// <summary>The name without <c>.g.cs</c>.</summary>
    private static string Stem(string hintName)
        => hintName.EndsWith(Extension, StringComparison.Ordinal) ? hintName.Substring(0, hintName.Length - Extension.Length) : hintName;
}
