using System.Reflection;

namespace AutoDiff.Generator.Model;

/// <summary>
/// How generated code names its generator, in its <c>[GeneratedCode]</c> attributes; lowering recognises generated
/// derivatives by it.
/// </summary>
internal static class GeneratorIdentity
{
    public const string Name = "AutoDiff.Generator";

    /// <summary>
    /// The generator's version, from its assembly (the package version: <c>VersionPrefix</c> in Directory.Build.props, or
    /// the <c>Version</c> a build sets), without the source revision that SourceLink appends after a '+', so that the
    /// generated text does not change with every commit.
    /// </summary>
    public static readonly string Version = VersionOf(
        typeof(GeneratorIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        typeof(GeneratorIdentity).Assembly.GetName().Version);

    /// <summary>The attribute every generated member carries.</summary>
    public static readonly string GeneratedCodeAttribute = "[global::System.CodeDom.Compiler.GeneratedCode(\"" + Name + "\", \"" + Version + "\")]";

    /// <summary>The informational version without what follows a '+', or the assembly version's first three parts.</summary>
    internal static string VersionOf(string? informational, System.Version? assemblyVersion)
    {
        if (string.IsNullOrEmpty(informational)) return assemblyVersion?.ToString(3) ?? "0.0.0";
        int metadata = informational!.IndexOf('+');
        return metadata < 0 ? informational : informational.Substring(0, metadata);
    }
}
