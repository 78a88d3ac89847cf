namespace AutoDiff.Generator.Model;

/// <summary>
/// A place in a source file, as a value (a Roslyn <c>Location</c> holds its syntax tree, which the incremental pipeline
/// must not keep): where the generator reports what happened to a method when it emits it.
/// </summary>
internal sealed record SourceSpan(string Path, int Start, int Length, int StartLine, int StartCharacter, int EndLine, int EndCharacter);

/// <summary>
/// Where a method stands in its file: what its generated file needs beyond its model, kept out of the model so that a line
/// inserted above the method leaves the model (and its derivatives and file text) cached.
/// </summary>
/// <param name="Key">The method's identity (as <see cref="DifferentiableMethodModel.Key"/>).</param>
/// <param name="BaseLine">The line its declaration starts on (0-based): its statements' <c>SourceLine</c>s are relative to it.</param>
/// <param name="Identifier">Its name in its source, where the generator reports a failure to emit it (ADIFF900).</param>
internal sealed record MethodPlacement(string Key, int BaseLine, SourceSpan Identifier);
