namespace AutoDiff.Generator.Model;

/// <summary>
/// How generated code names its generator, in its <c>[GeneratedCode]</c> attributes; lowering recognises generated
/// derivatives by it.
/// </summary>
internal static class GeneratorIdentity
{
    public const string Name = "AutoDiff.Generator";
    public const string Version = "0.1.0";

    /// <summary>The attribute every generated member carries.</summary>
    public const string GeneratedCodeAttribute = "[global::System.CodeDom.Compiler.GeneratedCode(\"" + Name + "\", \"" + Version + "\")]";
}
