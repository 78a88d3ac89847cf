using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiff.CodeFixes;

/// <summary>What the code fixes share: reading the diagnostics' properties, the document's line breaks, <c>using AutoDiff;</c>
/// and formatting.</summary>
internal static class FixSyntax
{
    /// <summary>Marks the fully qualified AutoDiff names a fix writes: <see cref="ImportAndSimplifyAsync"/> adds
    /// <c>using AutoDiff;</c> for them when it is missing, and the simplifier then shortens them.</summary>
    public static readonly SyntaxAnnotation AutoDiffImport = new("AutoDiff.CodeFixes.Import");

    /// <summary>Marks the nodes <see cref="FormatAsync"/> formats. It is not <see cref="Formatter.Annotation"/>, which the
    /// IDE formats again after the fix, with its own line breaks rather than the document's.</summary>
    public static readonly SyntaxAnnotation Format = new("AutoDiff.CodeFixes.Format");

    /// <summary>The spans of a "start:length;start:length" property; none when it is absent or malformed.</summary>
    public static IReadOnlyList<TextSpan> ParseSpans(string? value)
    {
        var spans = new List<TextSpan>();
        if (string.IsNullOrEmpty(value)) return spans;
        foreach (var part in value!.Split(';'))
        {
            var pieces = part.Split(':');
            if (pieces.Length != 2
                || !int.TryParse(pieces[0], NumberStyles.None, CultureInfo.InvariantCulture, out int start)
                || !int.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out int length))
            {
                return new List<TextSpan>();
            }
            spans.Add(new TextSpan(start, length));
        }
        return spans;
    }

    /// <summary>The line break the document already uses ("\n" when it has none).</summary>
    public static string NewLine(SyntaxNode root)
    {
        var endOfLine = root.DescendantTrivia(descendIntoTrivia: true).FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        return endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine.ToString() : "\n";
    }

    /// <summary>
    /// Adds <c>using AutoDiff;</c> where a node marked with <see cref="AutoDiffImport"/> needs it (in the place and order
    /// the document's style asks for), then shortens every name marked with <see cref="Simplifier.Annotation"/>.
    /// </summary>
    public static async Task<Document> ImportAndSimplifyAsync(Document document, CancellationToken cancellationToken)
    {
        document = await ImportAdder.AddImportsAsync(document, AutoDiffImport, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Formats the nodes marked with <see cref="Format"/>, with the line breaks the document already uses.</summary>
    public static async Task<Document> FormatAsync(Document document, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        var options = await document.GetOptionsAsync(cancellationToken).ConfigureAwait(false);
        var withLineBreaks = options.WithChangedOption(FormattingOptions.NewLine, NewLine(root));
        return await Formatter.FormatAsync(document, Format, withLineBreaks, cancellationToken).ConfigureAwait(false);
    }
}
