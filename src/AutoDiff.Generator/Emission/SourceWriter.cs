using System.Text;

namespace AutoDiff.Generator.Emission;

/// <summary>Writes C# text line by line with four-space indentation and '\n' line ends on every platform.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder builder = new();
    private int indent;

    public void Indent() => indent++;

    public void Unindent() => indent--;

    public void Line(string text = "")
    {
        if (text.Length > 0) builder.Append(' ', indent * 4).Append(text);
        builder.Append('\n');
    }

    public void OpenBrace()
    {
        Line("{");
        Indent();
    }

    public void CloseBrace(string suffix = "")
    {
        Unindent();
        Line("}" + suffix);
    }

    public override string ToString() => builder.ToString();
}
