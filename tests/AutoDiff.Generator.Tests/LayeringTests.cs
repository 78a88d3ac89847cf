using System.IO;
using System.Linq;
using AutoDiff.Generator.Tests.Generator;
using Xunit;

namespace AutoDiff.Generator.Tests;

/// <summary>Only the lowering layer (and the Roslyn entry points) may touch Roslyn.</summary>
public class LayeringTests
{
    [Theory]
    [InlineData("IR")]
    [InlineData("Differentiation")]
    [InlineData("Emission")]
    [InlineData("Model")]
    public void PureLayersDoNotUseRoslyn(string folder)
    {
        var directory = Path.Combine(GeneratorHarness.ProjectDirectory(), "..", "..", "src", "AutoDiff.Generator", folder);
        var files = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var offending = File.ReadAllLines(file).Where(line => line.Contains("Microsoft.CodeAnalysis")).ToList();
            Assert.True(offending.Count == 0, $"{Path.GetFileName(file)} in {folder} uses Roslyn: {string.Join(" | ", offending)}");
        }
    }
}
