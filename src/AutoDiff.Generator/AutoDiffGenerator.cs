using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using AutoDiff.Generator.Analysis;
using AutoDiff.Generator.Differentiation;
using AutoDiff.Generator.Emission;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Lowering;
using AutoDiff.Generator.Model;
using AutoDiff.Generator.Targets.Ilgpu;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator;

/// <summary>
/// Generates, for each <c>[Differentiable]</c> method <c>F</c>, the pullback <c>FBackward</c> and the gradient
/// <c>FGradient</c> in the same partial type. Methods it cannot differentiate get nothing (the analyzer says
/// why); it never throws.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class AutoDiffGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var lowered = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeMapping.DifferentiableAttributeName,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (target, cancellationToken) => Lower(target, custom: false, cancellationToken))
            .WithTrackingName(GeneratorStepNames.Lowered);

        // [CustomDerivative] methods: their rules are checked, and the wrappers around them generated.
        var custom = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeMapping.CustomDerivativeAttributeName,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (target, cancellationToken) => Lower(target, custom: true, cancellationToken))
            .WithTrackingName(GeneratorStepNames.LoweredCustom);

        // A method whose callee (in this compilation) gets no derivatives gets none either: its derivatives would
        // call the callee's. That needs every method's outcome at once; the models that come out are compared by
        // value, so the emission of an unchanged method stays cached.
        var accepted = lowered.Collect()
            .Combine(custom.Collect())
            .Select(static (all, _) => Accept(all.Left.AddRange(all.Right)))
            .SelectMany(static (models, _) => models)
            .WithTrackingName(GeneratorStepNames.Accepted);

        // The project's AutoDiff properties (MSBuild, made visible to the compiler by the package's props file).
        var options = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) => GeneratorOptions.From(provider.GlobalOptions));

        // Each method's derivatives are built (Differentiator.Run, as IR) and printed in one step: a step of their own would
        // keep every method's derivative IR between runs (10-14% more generation time for 500 methods, and memory held in
        // the IDE) to cache nothing the file's text does not cache already (both follow the model alone).
        var files = accepted
            .Combine(options)
            .Select(static (pair, cancellationToken) => (GeneratedFile?)Emit(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(GeneratorStepNames.Emitted);

        // [GpuKernel] methods: their ILGPU kernels, in a file of their own. The [Differentiable] methods of this
        // compilation that a kernel calls are lowered and checked with it (KernelAnalysis), so it needs no acceptance step.
        var kernelFiles = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KernelAnalysis.GpuKernelAttributeName,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (target, cancellationToken) => LowerKernel(target, cancellationToken))
            .WithTrackingName(GeneratorStepNames.KernelLowered)
            .Combine(options)
            .Select(static (pair, _) => pair.Left is null || !pair.Right.Kernels ? null : EmitKernel(pair.Left, pair.Right.SecondOrder))
            .WithTrackingName(GeneratorStepNames.KernelEmitted);
        // Where each method stands in its file: its lines in the IR are relative to its declaration, so that a line inserted
        // above it changes this step only, and every step above stays cached.
        var placements = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                TypeMapping.DifferentiableAttributeName,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (target, _) => Place(target))
            .Collect()
            .Combine(context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    TypeMapping.CustomDerivativeAttributeName,
                    predicate: static (node, _) => node is MethodDeclarationSyntax,
                    transform: static (target, _) => Place(target))
                .Collect())
            .Select(static (all, _) => all.Left.AddRange(all.Right).OfType<MethodPlacement>().ToEquatableArray())
            .WithTrackingName(GeneratorStepNames.Placed);

        // One output step for every file: Roslyn drops all of a generator's files when two of them share a name (even
        // across outputs, and ignoring case), so the names are made unique over the whole set (HintNames.MakeUnique).
        // Each file's text stays cached by the steps above; only placing and adding run again.
        var allFiles = files.Collect().Combine(kernelFiles.Collect()).Combine(placements);
        context.RegisterSourceOutput(allFiles, static (output, all) => AddFiles(output, all.Left.Left.AddRange(all.Left.Right), all.Right));
    }

    /// <summary>Where the method stands in its file (null when it is not a method).</summary>
    private static MethodPlacement? Place(GeneratorAttributeSyntaxContext target)
    {
        if (target.TargetSymbol is not IMethodSymbol method || target.TargetNode is not MethodDeclarationSyntax syntax) return null;
        return new MethodPlacement(MethodAnalysis.KeyOf(method), OperationLowerer.BaseLineOf(syntax), MethodAnalysis.SpanOf(syntax.Identifier.GetLocation()));
    }

    /// <summary>
    /// Adds the files, each with its method's line added to its <c>#line</c> directives (see <see cref="MethodPlacement"/>),
    /// and reports ADIFF900 for each method that got none.
    /// </summary>
    private static void AddFiles(SourceProductionContext output, ImmutableArray<GeneratedFile?> files, EquatableArray<MethodPlacement> placements)
    {
        var placementOf = new Dictionary<string, MethodPlacement>(StringComparer.Ordinal);
        foreach (var placement in placements)
        {
            if (!placementOf.ContainsKey(placement.Key)) placementOf.Add(placement.Key, placement);
        }
        MethodPlacement? PlacementOf(GeneratedFile file)
        {
            // A directional companion (Key + "#Directional") has its original's statements, and its place.
            int companion = file.Key.IndexOf('#');
            return placementOf.TryGetValue(companion < 0 ? file.Key : file.Key.Substring(0, companion), out var found) ? found : null;
        }
        foreach (var file in files)
        {
            if (file?.Failure is { } failure) output.ReportDiagnostic(DiagnosticOf(failure, PlacementOf(file)?.Identifier));
        }
        var named = files.Where(f => f?.Text is not null).Select(f => (f!.HintName, LineDirectives.Shift(f.Text!, PlacementOf(f)?.BaseLine ?? 0)));
        foreach (var (hintName, text) in HintNames.MakeUnique(named))
        {
            try
            {
                output.AddSource(hintName, text);
            }
            catch (ArgumentException)
            {
                // A name Roslyn refuses (a character it does not allow in a file name): that method loses its file, and
                // the others keep theirs.
            }
        }
    }

    /// <summary>ADIFF900 for a method whose file could not be emitted, at the method's name (<paramref name="identifier"/>).</summary>
    internal static Diagnostic DiagnosticOf(EmissionFailure failure, SourceSpan? identifier)
    {
        var at = identifier is { } span
            ? Location.Create(span.Path, new Microsoft.CodeAnalysis.Text.TextSpan(span.Start, span.Length),
                new Microsoft.CodeAnalysis.Text.LinePositionSpan(new(span.StartLine, span.StartCharacter), new(span.EndLine, span.EndCharacter)))
            : Location.None;
        return Diagnostic.Create(Diagnostics.DiagnosticDescriptors.InternalError, at, failure.Method, failure.Message);
    }

    /// <summary>
    /// The models to emit: those of methods that were lowered and whose [Differentiable] callees in this compilation
    /// are emitted too (the analyzer reports ADIFF011 for the others).
    /// </summary>
    private static EquatableArray<DifferentiableMethodModel> Accept(ImmutableArray<LoweredMethod?> all)
    {
        var candidates = all.Where(m => m?.Model is not null).Select(m => m!.Model!).ToList();
        // A method declared twice (which does not compile) fails once and succeeds once: the success stands.
        var succeeded = new HashSet<string>(candidates.Select(m => m.Key), StringComparer.Ordinal);
        var failed = CallersOf(candidates, all.Where(m => m is { Model: null } && !succeeded.Contains(m.Key)).Select(m => m!.Key));
        var accepted = candidates.Where(m => !failed.Contains(m.Key)).ToList();
        // A method that calls one without second-order derivatives (ADIFF202), to any depth, gets none either.
        var firstOrderOnly = CallersOf(accepted, accepted.Where(m => m.FirstOrderOnly).Select(m => m.Key));
        accepted = accepted.Select(m => firstOrderOnly.Contains(m.Key) && !m.FirstOrderOnly ? m with { FirstOrderOnly = true } : m).ToList();
        accepted.AddRange(DirectionalCompanions(accepted));
        return accepted.ToEquatableArray();
    }

    /// <summary>
    /// The keys in <paramref name="seeds"/>, with those of every model that calls one of them through methods of this
    /// compilation (<see cref="DifferentiableMethodModel.SourceCallees"/>), to any depth.
    /// </summary>
    private static HashSet<string> CallersOf(IReadOnlyList<DifferentiableMethodModel> models, IEnumerable<string> seeds)
    {
        var reached = new HashSet<string>(seeds, StringComparer.Ordinal);
        bool changed = reached.Count > 0;
        while (changed)
        {
            changed = false;
            foreach (var model in models)
            {
                if (!reached.Contains(model.Key) && model.SourceCallees.Any(reached.Contains))
                {
                    reached.Add(model.Key);
                    changed = true;
                }
            }
        }
        return reached;
    }

    /// <summary>
    /// The directional derivatives (<c>GDirectional</c>) that accepted methods call, because they call <c>GGradient</c>,
    /// <c>GBackward</c> or <c>GTangent</c>; and those that these call in turn, to any depth.
    /// </summary>
    internal static List<DifferentiableMethodModel> DirectionalCompanions(IReadOnlyList<DifferentiableMethodModel> accepted)
    {
        var byName = new Dictionary<(string, string), DifferentiableMethodModel>();
        foreach (var model in accepted.Where(m => m.IsStatic && m.Custom is null)) byName[(model.QualifiedType, model.Method.Name)] = model;
        var companions = new List<DifferentiableMethodModel>();
        var queue = new Queue<DifferentiableMethodModel>(accepted);
        while (queue.Count > 0)
        {
            var model = queue.Dequeue();
            foreach (var (type, name) in Differentiation.Directional.Calls(model.Method))
            {
                if (byName.ContainsKey((type, name))) continue;
                var originalName = name.Substring(0, name.Length - DerivativeKind.Directional.Suffix().Length);
                if (!byName.TryGetValue((type, originalName), out var original) && !byName.TryGetValue((type, "@" + originalName), out original)) continue;
                if (original.Method.IsVectorValued) continue;
                IR.IrMethod directional;
                try
                {
                    directional = Differentiator.DirectionalOf(original.Method);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The caller's file then does not compile; every other method keeps its output.
                    continue;
                }
                var companion = original with
                {
                    Method = directional,
                    HintName = HintNames.WithRole(original.HintName, DerivativeKind.Directional.Suffix()),
                    Key = original.Key + "#" + DerivativeKind.Directional.Suffix(),
                    IsCompanion = true,
                    // Its parameters are the scalarised ones: no struct wrappers.
                    Boundary = EquatableArray<BoundaryParameter>.Empty,
                };
                byName[(type, name)] = companion;
                companions.Add(companion);
                queue.Enqueue(companion);
            }
        }
        return companions;
    }

    /// <param name="target">The attributed method.</param>
    /// <param name="custom">True for the [CustomDerivative] provider: a method with both attributes is handled by that
    /// one only, so that it gets one file.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    private static LoweredMethod? Lower(GeneratorAttributeSyntaxContext target, bool custom, CancellationToken cancellationToken)
    {
        if (target.TargetSymbol is not IMethodSymbol method || target.TargetNode is not MethodDeclarationSyntax syntax) return null;
        if (TypeMapping.IsCustomDerivative(method) != custom) return null;
        // A method of integers only has nothing to differentiate.
        if (!custom && TypeMapping.ComputesIntegersOnly(method)) return null;
        var key = MethodAnalysis.KeyOf(method);
        try
        {
            return new LoweredMethod(key, MethodAnalysis.Analyze(method, syntax, target.SemanticModel, cancellationToken).Model);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The analyzer reports ADIFF900 for the same method (it lowers it too); the generator just skips it.
            return new LoweredMethod(key, null);
        }
    }

    private static KernelModel? LowerKernel(GeneratorAttributeSyntaxContext target, CancellationToken cancellationToken)
    {
        if (target.TargetSymbol is not IMethodSymbol method || target.TargetNode is not MethodDeclarationSyntax syntax) return null;
        if (!TypeMapping.IsDifferentiable(method) || TypeMapping.IsCustomDerivative(method)) return null;
        try
        {
            var analysis = MethodAnalysis.Analyze(method, syntax, target.SemanticModel, cancellationToken);
            var compilation = target.SemanticModel.Compilation;
            return KernelAnalysis.Analyze(method, analysis, compilation,
                callee => KernelAnalysis.AnalyzeInCompilation(callee, compilation, cancellationToken)).Model;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return null;
        }
    }

    private static GeneratedFile? EmitKernel(KernelModel model, bool secondOrder)
    {
        try
        {
            return new GeneratedFile(model.HintName, KernelEmitter.Emit(model, secondOrder)) { Key = model.Method.Key };
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// The method's file: its derivatives built (<see cref="Differentiator.Run"/>) and printed. None when either throws (a
    /// bug of ours), and ADIFF900 says why: the analyzer does not emit, so it cannot see this.
    /// </summary>
    internal static GeneratedFile Emit(DifferentiableMethodModel model, GeneratorOptions options, CancellationToken cancellationToken = default)
    {
        try
        {
            var derivatives = Differentiator.Run(model, options.SecondOrder && !model.FirstOrderOnly, cancellationToken);
            return new GeneratedFile(model.HintName, DerivativeFileEmitter.Emit(model, derivatives)) { Key = model.Key };
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var name = model.UserName.Length > 0 ? model.UserName.TrimStart('@') : model.Method.Name;
            return new GeneratedFile(model.HintName, null) { Key = model.Key, Failure = new EmissionFailure(name, exception.Message) };
        }
    }
}

/// <summary>A [Differentiable] or [CustomDerivative] method after lowering.</summary>
/// <param name="Key">Its identity (<see cref="MethodAnalysis.KeyOf"/>).</param>
/// <param name="Model">What to generate from, or null when it has errors.</param>
internal sealed record LoweredMethod(string Key, DifferentiableMethodModel? Model);

/// <summary>
/// The project's AutoDiff settings, from MSBuild properties the package makes visible to the compiler
/// (<c>build_property.*</c> in the global analyzer config options).
/// </summary>
/// <param name="SecondOrder"><c>AutoDiffSecondOrder</c>: generate <c>FBackwardTangent</c>, <c>FHessianVector</c> and
/// <c>FHessian</c> (default true; false generates first-order derivatives only, less code to compile).</param>
/// <param name="Kernels"><c>AutoDiffKernels</c>: generate the ILGPU kernels of <c>[GpuKernel]</c> methods (default true).</param>
internal sealed record GeneratorOptions(bool SecondOrder, bool Kernels)
{
    public static readonly GeneratorOptions Default = new(true, true);

    public static GeneratorOptions From(Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions options)
        => new(Flag(options, "AutoDiffSecondOrder"), Flag(options, "AutoDiffKernels"));

    /// <summary>A boolean property: true unless set to false (any case); an empty or unset property is the default.</summary>
    private static bool Flag(Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions options, string name)
        => !(options.TryGetValue("build_property." + name, out var value) && string.Equals(value?.Trim(), "false", StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// A generated file: its name and text (with <c>#line</c> directives relative to its method's declaration); no text when
/// emitting it failed, and why.
/// </summary>
internal sealed record GeneratedFile(string HintName, string? Text)
{
    /// <summary>The key of the method it is generated for (<see cref="DifferentiableMethodModel.Key"/>), which finds its <see cref="MethodPlacement"/>.</summary>
    public string Key { get; init; } = "";

    public EmissionFailure? Failure { get; init; }
}

/// <summary>Why a method got no file: the exception's message, reported as ADIFF900 at the method's name.</summary>
internal sealed record EmissionFailure(string Method, string Message);
