using System.Text;

namespace AutoDiff.Generator.Emission;

/// <summary>Writes C# text line by line with four-space indentation and '\n' line ends on every platform.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder builder = new();
    private int indent;
    private bool mapping;
    private IR.SourceLine? mapped;
    private bool hidden;

    /// <summary>
    /// Writes a method body whose statements map back to the user's lines with <c>#line</c> (stack traces and the
    /// debugger show the user's line for a statement copied from it; generated-only statements are <c>#line hidden</c>),
    /// then returns to the generated file's own lines.
    /// </summary>
    public void WithLineMapping(System.Action write)
    {
        mapping = true;
        mapped = null;
        hidden = false;
        try
        {
            write();
        }
        finally
        {
            if (mapped is not null || hidden) Line("#line default");
            mapping = false;
            mapped = null;
            hidden = false;
        }
    }

    /// <summary>
    /// Before a statement: maps it to <paramref name="origin"/>, the user's line it comes from. A directive maps the lines
    /// after it one by one, so the first statement of a user line is mapped and the rest of that line's statements are
    /// hidden (the debugger stops once per user line); generated-only statements are hidden too.
    /// </summary>
    public void MapTo(IR.SourceLine? origin)
    {
        if (!mapping) return;
        if (origin is not null && origin != mapped)
        {
            Line($"#line {origin.Line} \"{origin.Path}\"");
            mapped = origin;
            hidden = false;
            return;
        }
        // The body's first generated statements keep the file's own lines; later ones are hidden until the next user line.
        if (!hidden && mapped is not null) Line("#line hidden");
        hidden = mapped is not null || hidden;
        // After generated code, the same user line starts again with a directive.
        if (origin is null) mapped = null;
    }

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
