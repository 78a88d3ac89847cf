namespace AutoDiff.Generator.Model;

/// <summary>
/// A place in a source file, as a value (a Roslyn <c>Location</c> holds its syntax tree, which the incremental pipeline
/// must not keep): where the generator reports what happened to a method when it emits it.
/// </summary>
internal sealed record SourceSpan(string Path, int Start, int Length, int StartLine, int StartCharacter, int EndLine, int EndCharacter);
