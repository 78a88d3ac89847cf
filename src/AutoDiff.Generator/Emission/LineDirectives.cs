using System.Text;

namespace AutoDiff.Generator.Emission;

/// <summary>
/// The <c>#line N "path"</c> directives of a generated file are printed with the lines of the IR, which are relative to
/// the method's declaration (<c>IR.SourceLine</c>); the last step adds the declaration's line, so that everything before it
/// stays cached when lines are inserted above the method.
/// </summary>
internal static class LineDirectives
{
    private const string Directive = "#line ";

    /// <summary>The last shift of each text: the output step runs on every edit, and a file's text object stays the same while its method does.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, LastShift> Last = new();

    private sealed record Shifted(int BaseLine, string Text);

    /// <summary>Holds the last shift of one text (replaced whole, so that concurrent builds read one or the other).</summary>
    private sealed class LastShift
    {
        public Shifted? Value;
    }

    /// <summary>The text with <paramref name="baseLine"/> added to the line of every <c>#line N "path"</c> directive.</summary>
    public static string Shift(string text, int baseLine)
    {
        if (baseLine == 0 || text.IndexOf(Directive, System.StringComparison.Ordinal) < 0) return text;
        var last = Last.GetValue(text, _ => new LastShift());
        if (last.Value is { } known && known.BaseLine == baseLine) return known.Text;
        var shifted = ShiftLines(text, baseLine);
        last.Value = new Shifted(baseLine, shifted);
        return shifted;
    }

    private static string ShiftLines(string text, int baseLine)
    {
        var result = new StringBuilder(text.Length + 256);
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            int next = end < 0 ? text.Length : end + 1;
            int at = start;
            while (at < next && text[at] == ' ') at++;
            if (string.CompareOrdinal(text, at, Directive, 0, Directive.Length) == 0 && TryNumber(text, at + Directive.Length, next, out int line, out int after))
            {
                result.Append(text, start, at + Directive.Length - start);
                result.Append(line + baseLine);
                result.Append(text, after, next - after);
            }
            else
            {
                result.Append(text, start, next - start);
            }
            start = next;
        }
        return result.ToString();
    }

    /// <summary>An integer (possibly negative) at <paramref name="at"/> followed by a space: <c>#line hidden</c> and <c>#line default</c> are left alone.</summary>
    private static bool TryNumber(string text, int at, int limit, out int value, out int after)
    {
        value = 0;
        after = at;
        bool negative = after < limit && text[after] == '-';
        if (negative) after++;
        int digits = after;
        while (after < limit && char.IsDigit(text[after])) value = value * 10 + (text[after++] - '0');
        if (after == digits || after >= limit || text[after] != ' ') return false;
        if (negative) value = -value;
        return true;
    }
}
