using System.Linq;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.IR;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generator.Lowering;

/// <summary>What lowering refuses, and how it says so: the ADIFF002 diagnostics, with the construct named and a fix to try.</summary>
internal sealed partial class OperationLowerer
{
    private IrLiteral Unsupported(IOperation operation, string what, string advice)
    {
        diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedConstruct, Loc(operation.Syntax), inlineName is null || what.StartsWith("In '") ? what : InlinePrefix + what, advice));
        return Ir.Lit(TypeMapping.ToIr(operation.Type) ?? IrType.Double, 0);
    }

    private const string LambdaAdvice = "differentiated values cannot flow through delegates; write the code inline, or as a static [Differentiable] method and call it";

    /// <summary>" that captures 'x', 'y'" for a lambda or local function that reads variables of the method; empty otherwise.</summary>
    private static string CapturedNames(SyntaxNode function, SemanticModel? semanticModel)
    {
        if (semanticModel is null) return "";
        var body = function switch
        {
            AnonymousFunctionExpressionSyntax anonymous => (SyntaxNode?)anonymous.Body,
            LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody?.Expression,
            _ => null,
        };
        if (body is null) return "";
        var flow = body is ExpressionSyntax expression ? semanticModel.AnalyzeDataFlow(expression) : semanticModel.AnalyzeDataFlow((StatementSyntax)body);
        if (flow is null || !flow.Succeeded) return "";
        // Read or written inside, declared outside (the function's own parameters are declared inside its syntax).
        var captured = flow.ReadInside.Concat(flow.WrittenInside)
            .Where(s => !IsDeclaredInside(s, function)).Select(s => $"'{s.Name}'").Distinct().ToList();
        return captured.Count == 0 ? "" : $" that captures {string.Join(", ", captured)}";
    }

    private static bool IsDeclaredInside(ISymbol symbol, SyntaxNode function)
        => symbol.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == function.SyntaxTree && function.Span.Contains(r.Span));

    private static string StatementName(IOperation operation) => operation switch
    {
        ILoopOperation loop => $"A '{LoopKeyword(loop)}' loop",
        ITryOperation => "A 'try' statement",
        IThrowOperation => "A 'throw'",
        ILockOperation => "A 'lock' statement",
        IUsingOperation or IUsingDeclarationOperation => "A 'using' statement",
        ISwitchOperation => "A 'switch' statement",
        IBranchOperation branch => $"A '{branch.Syntax.GetFirstToken().Text}' statement",
        ILabeledOperation => "A labeled statement",
        ILocalFunctionOperation local => "A local function" + CapturedNames(local.Syntax, local.SemanticModel),
        IAnonymousFunctionOperation => "A lambda",
        _ => $"'{Shorten(operation.Syntax.ToString())}'",
    };

    private static string StatementAdvice(IOperation operation) => operation switch
    {
        ILoopOperation => "use for, while and do loops, and foreach over an array or span",
        ITryOperation or IThrowOperation => "validate inputs before calling the method, and keep exceptions out of it",
        ILocalFunctionOperation or IAnonymousFunctionOperation => LambdaAdvice,
        ISwitchOperation => "use if/else",
        IBranchOperation => "use if/else and return",
        _ => "use assignments, if/else and return",
    };

    private static string ExpressionName(IOperation operation) => operation switch
    {
        ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation => $"The assignment inside the expression '{Shorten(operation.Syntax.ToString())}'",
        IPropertyReferenceOperation property => $"The property '{property.Property.Name}'",
        IFieldReferenceOperation field => $"The instance field '{field.Field.Name}'",
        IObjectCreationOperation => $"Creating an object ('{Shorten(operation.Syntax.ToString())}')",
        IAnonymousFunctionOperation lambda => "A lambda" + CapturedNames(lambda.Syntax, lambda.SemanticModel),
        IThrowOperation => "A 'throw' expression",
        ISwitchExpressionOperation => "A 'switch' expression",
        IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicIndexerAccessOperation or IDynamicObjectCreationOperation => "A 'dynamic' operation",
        IAddressOfOperation => "Taking an address",
        IAwaitOperation => "An 'await'",
        _ => $"'{Shorten(operation.Syntax.ToString())}'",
    };

    private static string ExpressionAdvice(IOperation operation) => operation switch
    {
        ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation => "write the assignment as a statement of its own",
        IPropertyReferenceOperation or IFieldReferenceOperation => "pass the value in as a parameter",
        ISwitchExpressionOperation => "use ?: or if/else",
        IAnonymousFunctionOperation => LambdaAdvice,
        _ => "use arithmetic, Math functions and calls to [Differentiable] methods",
    };

    private static string LoopKeyword(ILoopOperation loop) => loop.LoopKind switch
    {
        LoopKind.For => "for",
        LoopKind.ForEach => "foreach",
        _ => loop.Syntax.GetFirstToken().Text,
    };

    private static string Shorten(string text)
    {
        text = text.Replace("\r", " ").Replace("\n", " ");
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
