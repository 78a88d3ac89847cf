using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Tests.Differentiation;
using AutoDiff.Generator.Tests.Generator.Compiled;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using static AutoDiff.Generator.Tests.Differentiation.IrBuilder;

namespace AutoDiff.Generator.Tests.Generator.Robustness;

/// <summary>The sources of tests/AutoDiff.Tests, copied next to the test assembly (FuzzCorpus/).</summary>
internal static class FuzzCorpus
{
    public static readonly IReadOnlyList<CorpusFile> Files = Load();

    private static IReadOnlyList<CorpusFile> Load()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "FuzzCorpus");
        if (!Directory.Exists(folder)) return Array.Empty<CorpusFile>();
        return Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => CorpusFile.Parse(Path.GetRelativePath(folder, path).Replace('\\', '/'), File.ReadAllText(path).Replace("\r\n", "\n")))
            .ToList();
    }
}

/// <summary>A source file, and the members of each of its outermost types (their full spans, comments included).</summary>
internal sealed record CorpusFile(string Name, string Text, IReadOnlyList<IReadOnlyList<TextSpan>> Members)
{
    public static CorpusFile Parse(string name, string text)
    {
        var types = CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions).GetRoot().DescendantNodes()
            .OfType<TypeDeclarationSyntax>()
            .Where(t => t.Parent is not TypeDeclarationSyntax && t.Members.Count > 0)
            .Select(t => (IReadOnlyList<TextSpan>)t.Members.Select(m => m.FullSpan).ToList())
            .ToList();
        return new CorpusFile(name, text, types);
    }

    /// <summary>The file with only <paramref name="count"/> members of one type from <paramref name="first"/> on, the
    /// other members of every type removed: a small case that keeps the file's usings, namespaces and types.</summary>
    public string Slice(int type, int first, int count)
    {
        var removed = Members.SelectMany((members, t) => members.Where((_, m) => t != type || m < first || m >= first + count))
            .OrderByDescending(span => span.Start);
        var text = new StringBuilder(Text);
        foreach (var span in removed) text.Remove(span.Start, span.Length);
        return text.ToString();
    }
}

/// <summary>Makes the source of one fuzz case from its seed.</summary>
internal static class FuzzCases
{
    /// <summary>Fragments that half-typed code contains, inserted at random points.</summary>
    private static readonly string[] Fragments =
    {
        "[Differentiable]", "[Differentiable] public static double F(double x) => x;", "[CustomDerivative]", "[NoDerivative] ",
        "static ", "partial ", "public ", "ref ", "out ", "in ", "params ", "this ", "async ", "unsafe ", "readonly ", "const ",
        "{", "}", "(", ")", "[", "]", ";", ",", ".", "=", "=>", "?", ":", "!", "+", "-", "*", "/", "%", "<", ">", "&&", "||",
        "return ", "return;", "if (x > 0) ", "else ", "while (true) ", "for (int i = 0; i < 3; i++) ", "foreach (var v in x) ",
        "do { } while (false);", "break;", "continue;", "goto L;", "L: ", "throw new Exception();", "try { } finally { }",
        "x", "y", "z", "i", "value", "seed", "Math.Sin(", "Math.Floor(", "MathF.Exp(", "Math.Pow(x, ", "Ad.WithoutDerivative(",
        "(int)", "(float)", "(double)", "(long)", "double ", "float ", "int ", "var ", "bool ", "decimal ", "object ", "dynamic ",
        "double[] ", "double[,] ", "Span<double> ", "ReadOnlySpan<float> ", "new double[3]", "stackalloc double[2]", "x.Length",
        "x[0]", "x[i, j]", "x.GetLength(1)", "nameof(x)", "default", "null", "1e308", "0.5f", "2L", "true", "checked(", "sizeof(int)",
        "x++", "--y", "x += ", "x *= ", "x ??= ", "(x, y) = (y, x);", "ref double r = ref x;", "double F(double a) => a;",
        "Func<double, double> f = a => a;", "class C { }", "partial class P { [Differentiable] static double G(double a) => a; }",
        "struct S { }", "namespace N { ", "where T : struct", "<T>", "#if DEBUG\n", "#endif\n", "#pragma warning disable\n", "/*", "*/", "//",
        "\"", "'", "@", "$\"{x}\"", "\\u0041",
    };

    /// <summary>
    /// In 20: 2 random programs, 4 mutated random programs, 1 whole file of the test project mutated, 13 slices of one
    /// (a few members) mutated. Slices keep cases small: a whole file has up to 56 methods to generate and compile.
    /// </summary>
    public static (string Source, string Description) Make(int seed, IReadOnlyList<CorpusFile> corpus)
    {
        var random = new Random(seed);
        int kind = random.Next(20);
        if (kind < 2) return (RandomProgram(random), "a random program");
        if (kind < 6)
        {
            var program = RandomProgram(random);
            var mutated = Mutate(program, random, out var mutations);
            return (mutated, "a random program, " + mutations);
        }
        // A file of the test project that declares [Differentiable] methods: whole, or a few consecutive members of one type.
        var files = corpus.Where(f => f.Text.Contains("[Differentiable") || f.Text.Contains("[CustomDerivative")).ToList();
        var file = files[random.Next(files.Count)];
        var text = file.Text;
        var part = "";
        if (kind > 6 && file.Members.Count > 0)
        {
            int type = random.Next(file.Members.Count);
            int first = random.Next(file.Members[type].Count);
            int count = 1 + random.Next(4);
            text = file.Slice(type, first, count);
            part = $" (members {first}-{Math.Min(first + count, file.Members[type].Count) - 1} of type {type})";
        }
        text = Mutate(text, random, out var applied);
        return (text, $"{file.Name}{part}, {applied}");
    }

    /// <summary>A partial class with a random method F0, and the helpers it calls: G (random or not) and H, as C#.</summary>
    private static string RandomProgram(Random random)
    {
        // Small programs: large ones cost much more to compile, and find nothing more.
        var generator = new RandomProgramGenerator(random) { ExpressionDepth = 2, StatementLimit = 5 };
        var g = random.Next(3) == 0
            ? CompiledRandomProgramTests.Declare(generator.Method("G", new[] { "a", "b" }, callee: null))
            : "    [Differentiable]\n    public static double G(double a, double b) => a * Math.Sin(b) + b;\n";
        var f = CompiledRandomProgramTests.Declare(generator.Method("F0", new[] { "x", "y", "z" },
            new IrMethodRef("global::T", "G", true, Params(D, D)), RandomProgramGenerator.ArrayHelperReference("global::T")));
        // The helpers only when F0 calls them (each is one more file to compile).
        var source = new StringBuilder("using System;\nusing AutoDiff;\n\npublic static partial class T\n{\n");
        if (f.Contains("global::T.G(")) source.Append(g);
        if (f.Contains("global::T.H(")) source.Append(CompiledRandomProgramTests.Declare(RandomProgramGenerator.ArrayHelper("global::T")));
        source.Append(f);
        return source.Append("}\n").ToString();
    }

    /// <summary>One to four edits of the kinds an editor sees mid-typing.</summary>
    private static string Mutate(string text, Random random, out string description)
    {
        var applied = new List<string>();
        int count = random.Next(1, 5);
        for (int m = 0; m < count && text.Length > 0; m++)
        {
            switch (random.Next(12))
            {
                case 0:
                {
                    // Truncation: at most once, and last, since it removes everything after it.
                    int at = random.Next(text.Length);
                    text = text.Substring(0, at);
                    applied.Add($"truncated at {at}");
                    m = count;
                    break;
                }
                case 1:
                case 2:
                {
                    int start = random.Next(text.Length);
                    int length = Math.Min(text.Length - start, 1 + random.Next(random.Next(2) == 0 ? 8 : 120));
                    text = text.Remove(start, length);
                    applied.Add($"deleted {length} at {start}");
                    break;
                }
                case 3:
                case 4:
                {
                    var lines = text.Split('\n').ToList();
                    int line = random.Next(lines.Count);
                    lines.Insert(line, lines[line]);
                    text = string.Join("\n", lines);
                    applied.Add($"duplicated line {line + 1}");
                    break;
                }
                case 5:
                case 6:
                case 7:
                {
                    // Swaps two tokens, usually close together.
                    var tokens = Tokens(text);
                    if (tokens.Count < 2) break;
                    int a = random.Next(tokens.Count);
                    int b = random.Next(2) == 0 ? Math.Clamp(a + random.Next(-6, 7), 0, tokens.Count - 1) : random.Next(tokens.Count);
                    if (a == b) break;
                    if (a > b) (a, b) = (b, a);
                    var (first, second) = (tokens[a], tokens[b]);
                    text = text.Substring(0, first.Start) + second.Text + text.Substring(first.End, second.Start - first.End) + first.Text + text.Substring(second.End);
                    applied.Add($"swapped '{first.Text}' and '{second.Text}'");
                    break;
                }
                case 8:
                {
                    // Replaces a token with another token of the file (an identifier with another, a keyword with a name...).
                    var tokens = Tokens(text);
                    if (tokens.Count < 2) break;
                    var target = tokens[random.Next(tokens.Count)];
                    var replacement = tokens[random.Next(tokens.Count)];
                    text = text.Substring(0, target.Start) + replacement.Text + text.Substring(target.End);
                    applied.Add($"replaced '{target.Text}' with '{replacement.Text}'");
                    break;
                }
                default:
                {
                    // Inserts a fragment, before a token (where code is typed) or anywhere.
                    var fragment = Fragments[random.Next(Fragments.Length)];
                    var tokens = Tokens(text);
                    int at = tokens.Count > 0 && random.Next(3) > 0 ? tokens[random.Next(tokens.Count)].Start : random.Next(text.Length + 1);
                    text = text.Insert(at, fragment);
                    applied.Add($"inserted '{fragment.Replace("\n", "\\n")}' at {at}");
                    break;
                }
            }
        }
        description = applied.Count == 0 ? "unchanged" : string.Join(", ", applied);
        return text;
    }

    private static List<(int Start, int End, string Text)> Tokens(string text)
        => CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions).GetRoot().DescendantTokens()
            .Where(t => t.Span.Length > 0)
            .Select(t => (t.SpanStart, t.Span.End, t.Text))
            .ToList();
}
