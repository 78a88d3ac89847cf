using System.Linq;
using System.Threading;
using AutoDiff.Generator.Analysis;
using AutoDiff.Generator.Lowering;
using AutoDiff.Generator.Tests.Generator.Robustness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiff.Generator.Tests.Generator.Compiled;

/// <summary>
/// A caller decides which of a callee's parameters are outputs and written arrays from the callee's source
/// (<see cref="WrittenParameters"/>); the callee's own file decides it from its IR. The caller calls the callee's in-place
/// pullback with its adjoints in that order, so the two must agree: when they did not (an output written only through a
/// slice passed on), the adjoints went to the wrong parameters. Checked on every method of tests/AutoDiff.Tests.
/// </summary>
public class WrittenParametersTests
{
    [Fact]
    public void TheCallersViewOfWhatAMethodWritesIsTheMethodsOwn()
    {
        var sources = FuzzCorpus.Files.Where(f => f.Name.StartsWith("Functions/")).Select(f => f.Text).ToArray();
        Assert.NotEmpty(sources);
        var compilation = GeneratorHarness.Compile(sources);
        int compared = 0, writing = 0;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var semanticModel = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>())
            {
                if (semanticModel.GetDeclaredSymbol(declaration) is not IMethodSymbol method || !TypeMapping.IsDifferentiable(method)) continue;
                var model = MethodAnalysis.Analyze(method, declaration, semanticModel, CancellationToken.None).Model;
                if (model is null || model.TakesStructs || model.Custom is not null || model.Method.Parameters.Count != method.Parameters.Length) continue;
                var callersView = WrittenParameters.Of(method, compilation);
                for (int i = 0; i < method.Parameters.Length; i++)
                {
                    var own = model.Method.Parameters[i];
                    bool ownWrites = own.IsOutput || own.IsWritten;
                    Assert.True(ownWrites == callersView[i],
                        $"{method.ContainingType.Name}.{method.Name}'s parameter '{method.Parameters[i].Name}': its own analysis says {(ownWrites ? "written" : "not written")}, its callers' {(callersView[i] ? "written" : "not written")}.");
                    if (ownWrites) writing++;
                }
                compared++;
            }
        }
        Assert.True(compared > 300, $"Only {compared} methods compared.");
        Assert.True(writing > 20, $"Only {writing} written parameters among them.");
    }
}
