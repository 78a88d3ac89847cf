using System;
using System.IO;
using System.Linq;
using System.Reflection;
using AutoDiff.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Diagnostics;

/// <summary>
/// Every descriptor is catalogued: an AnalyzerReleases.Unshipped.md entry with its severity, a help page
/// docs/diagnostics/ID.md whose title is the descriptor's, a row of docs/diagnostics/README.md, and a help link to the page.
/// </summary>
public class DiagnosticDocumentationTests
{
    private static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AutoDiff.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("AutoDiff.sln not found above " + AppContext.BaseDirectory);
    }

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in Descriptors()) data.Add(descriptor.Id);
        return data;
    }

    private static DiagnosticDescriptor[] Descriptors()
        => typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToArray();

    [Theory]
    [MemberData(nameof(Ids))]
    public void IsCatalogued(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var root = Root();
        var releases = File.ReadAllLines(Path.Combine(root, "src", "AutoDiff.Generator", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains($"{id} | AutoDiff | {descriptor.DefaultSeverity} | DiagnosticDescriptors", releases);

        var page = Path.Combine(root, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(page), $"{page} is missing");
        Assert.Equal($"# {id}: {descriptor.Title}", File.ReadLines(page).First());
        Assert.Contains($"**Severity:** {descriptor.DefaultSeverity}", File.ReadAllText(page));

        var rows = File.ReadAllLines(Path.Combine(root, "docs", "diagnostics", "README.md"));
        Assert.Contains(rows, row => row.StartsWith($"| {id} | {descriptor.DefaultSeverity} | {descriptor.Title} |", StringComparison.Ordinal)
            && row.EndsWith($"[{id}]({id}.md) |", StringComparison.Ordinal));
        Assert.Equal(DiagnosticDescriptors.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);
    }
}
