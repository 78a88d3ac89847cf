using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using AutoDiff.Generator.Tests.Generator;
using Xunit;

namespace AutoDiff.Generator.Tests;

/// <summary>
/// The generator's layers, in the direction of its pipeline (lowering, differentiation, emission): only the lowering
/// layer, the analyses and the Roslyn entry points touch Roslyn, and no layer uses a later one.
/// </summary>
public class LayeringTests
{
    /// <summary>For each layer (a folder and its namespace), the generator namespaces it may use.</summary>
    public static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["IR"] = Array.Empty<string>(),
        ["Model"] = new[] { "IR" },
        ["Lowering"] = new[] { "IR", "Model", "Diagnostics" },
        ["Differentiation"] = new[] { "IR", "Model" },
        ["Emission"] = new[] { "IR", "Model" },
        ["Targets.Ilgpu"] = new[] { "IR", "Model", "Differentiation", "Emission" },
        ["Analysis"] = new[] { "IR", "Model", "Lowering", "Differentiation", "Emission", "Targets.Ilgpu", "Diagnostics" },
        ["Diagnostics"] = new[] { "IR", "Model", "Lowering", "Analysis" },
    };

    private static readonly string[] Layers = Allowed.Keys.ToArray();

    public static TheoryData<string> LayerNames() => new(Layers);

    [Theory]
    [InlineData("IR")]
    [InlineData("Differentiation")]
    [InlineData("Emission")]
    [InlineData("Model")]
    [InlineData("Targets/Ilgpu")]
    public void PureLayersDoNotUseRoslyn(string folder)
    {
        foreach (var file in SourceFiles(folder))
        {
            var offending = File.ReadAllLines(file).Where(line => line.Contains("Microsoft.CodeAnalysis")).ToList();
            Assert.True(offending.Count == 0, $"{Path.GetFileName(file)} in {folder} uses Roslyn: {string.Join(" | ", offending)}");
        }
    }

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void EachLayerUsesOnlyTheLayersBeforeIt(string layer)
    {
        var folder = layer.Replace('.', '/');
        foreach (var file in SourceFiles(folder))
        {
            var text = File.ReadAllText(file);
            Assert.Contains($"namespace AutoDiff.Generator.{layer};", text);
            var used = UsedLayers(text).Where(u => u != layer).ToList();
            var forbidden = used.Where(u => !Allowed[layer].Contains(u)).ToList();
            Assert.True(forbidden.Count == 0, $"{Path.GetFileName(file)} in {layer} uses {string.Join(", ", forbidden)}");
        }
    }

    /// <summary>
    /// <c>Differentiator</c> is the only place derivatives are built: outside <c>Differentiation/</c>, no code (comments aside)
    /// calls reverse or forward mode itself.
    /// </summary>
    [Fact]
    public void OnlyTheDifferentiatorBuildsDerivatives()
    {
        var root = SourceRoot();
        var calls = new System.Text.RegularExpressions.Regex(@"(?<!\w)(ReverseMode|ForwardMode|Directional)\.(Differentiate\w*|Of)\(");
        var offending = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .Where(f => !Path.GetRelativePath(root, f).StartsWith("Differentiation"))
            .SelectMany(f => File.ReadAllLines(f).Where(line => !line.TrimStart().StartsWith("//") && calls.IsMatch(line)).Select(line => Path.GetFileName(f) + ": " + line.Trim()))
            .ToList();
        Assert.True(offending.Count == 0, "Derivatives built outside Differentiator: " + string.Join(" | ", offending));
    }

    [Fact]
    public void EveryFolderIsALayer()
    {
        var root = SourceRoot();
        var folders = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetDirectoryName(Path.GetRelativePath(root, f))!.Replace(Path.DirectorySeparatorChar, '.'))
            .Where(f => f.Length > 0 && !f.StartsWith("obj") && !f.StartsWith("bin"))
            .Distinct();
        Assert.All(folders, folder => Assert.Contains(folder, Layers));
    }

    /// <summary>The layers a file names: in <c>using</c> directives, and as qualifiers in code (not in comments).</summary>
    private static IEnumerable<string> UsedLayers(string text)
    {
        var code = string.Join("\n", text.Split('\n').Where(line => !line.TrimStart().StartsWith("//")));
        foreach (var layer in Layers)
        {
            var escaped = Regex.Escape(layer);
            if (Regex.IsMatch(code, $@"\bAutoDiff\.Generator\.{escaped}\b") || Regex.IsMatch(code, $@"(?<![\w.]){escaped}\.[A-Z]")) yield return layer;
        }
    }

    private static string SourceRoot() => Path.GetFullPath(Path.Combine(GeneratorHarness.ProjectDirectory(), "..", "..", "src", "AutoDiff.Generator"));

    private static string[] SourceFiles(string folder)
    {
        var files = Directory.GetFiles(Path.Combine(SourceRoot(), folder), "*.cs", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        return files;
    }
}
