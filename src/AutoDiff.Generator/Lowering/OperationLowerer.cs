using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generator.Lowering;

/// <summary>A call to a [Differentiable] method declared in this compilation, and where it is made.</summary>
internal sealed record SourceCall(IMethodSymbol Callee, Location Location);

/// <summary>
/// Lowers a method body's <see cref="IOperation"/> tree (overloads, implicit conversions and constants already
/// resolved by Roslyn) to IR. Anything it does not support becomes a located <see cref="Diagnostic"/>; lowering
/// goes on past it so that one build reports every problem.
/// </summary>
internal sealed partial class OperationLowerer
{
    private readonly List<Diagnostic> diagnostics;
    private readonly List<Hazard> hazards;
    private readonly Dictionary<ISymbol, string> localNames = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> usedNames;
    private readonly List<SourceCall> sourceCallees = new();

    /// <summary>How many if-branches and loops enclose the statement being lowered.</summary>
    private int nesting;

    /// <summary>True when lowering a hand-written pullback rule, which writes its ref adjoints.</summary>
    public bool AllowRefParameterWrites { get; set; }

    /// <summary>
    /// The line the method's declaration starts on (0-based, <see cref="BaseLineOf"/>): statements' lines are kept relative
    /// to it (<see cref="SourceLine"/>), so that a line inserted above the method leaves its model unchanged.
    /// </summary>
    public int BaseLine { get; init; }

    /// <summary>The line (0-based) a method's declaration starts on, which the lines of its statements are relative to.</summary>
    public static int BaseLineOf(SyntaxNode declaration) => declaration.GetLocation().GetLineSpan().StartLinePosition.Line;

    public OperationLowerer(IEnumerable<string> parameterNames, List<Diagnostic> diagnostics, List<Hazard> hazards)
    {
        this.diagnostics = diagnostics;
        this.hazards = hazards;
        usedNames = new HashSet<string>(parameterNames);
    }

    /// <summary>The calls to [Differentiable] methods of this compilation, whose own errors would block this method.</summary>
    public IReadOnlyList<SourceCall> SourceCallees => sourceCallees;

    /// <summary>
    /// The [Differentiable] methods of other assemblies that the method calls and that have no <c>FBackwardTangent</c>
    /// (their assembly was built with <c>AutoDiffSecondOrder=false</c>): the method's second-order derivatives would call
    /// it, so it gets none (ADIFF202).
    /// </summary>
    public IReadOnlyList<(string Callee, string Assembly, Location Call)> CalleesWithoutSecondOrder => calleesWithoutSecondOrder;

    private readonly List<(string Callee, string Assembly, Location Call)> calleesWithoutSecondOrder = new();

    public IrBlock LowerBody(IOperation body)
    {
        var statements = new List<IrStatement>();
        LowerStatement(body, statements);
        return statements.Count == 1 && statements[0] is IrBlock block ? block : new IrBlock(statements.ToEquatableArray());
    }

    /// <summary>
    /// The statement of the method body being lowered (a loop, an if), where local arrays declared inside it go: the list
    /// it is lowered into, its position there, its syntax, and how many arrays were put before it so far.
    /// </summary>
    private (List<IrStatement> Output, int Start, SyntaxNode Syntax, int Hoisted)? topLevel;

    private void LowerStatement(IOperation operation, List<IrStatement> output)
    {
        // Temporaries an expression needs go just before the statement.
        var savedPending = pending;
        pending = output;
        int start = output.Count;
        var savedTopLevel = topLevel;
        if (nesting == 0 && operation is not (IBlockOperation or IMethodBodyOperation)) topLevel = (output, start, operation.Syntax, 0);
        try
        {
            LowerStatementCore(operation, output);
        }
        finally
        {
            pending = savedPending;
            topLevel = savedTopLevel;
        }
        // What the statement became points back at its line (inlined code at the call's line).
        if (operation is not (IBlockOperation or IMethodBodyOperation)) Ir.StampSource(output, start, SourceOf(operation.Syntax));
    }

    private void LowerStatementCore(IOperation operation, List<IrStatement> output)
    {
        switch (operation)
        {
            case IMethodBodyOperation body:
                LowerStatement((IOperation?)body.BlockBody ?? body.ExpressionBody!, output);
                break;
            case IBlockOperation block:
            {
                var statements = new List<IrStatement>();
                foreach (var child in block.Operations) LowerStatement(child, statements);
                output.Add(new IrBlock(statements.ToEquatableArray()));
                break;
            }
            case IVariableDeclarationGroupOperation group:
                foreach (var declaration in group.Declarations)
                {
                    foreach (var declarator in declaration.Declarators)
                    {
                        LowerDeclarator(declarator, declarator.Initializer?.Value ?? declaration.Initializer?.Value, output);
                    }
                }
                break;
            case IExpressionStatementOperation expressionStatement:
                LowerExpressionStatement(expressionStatement.Operation, output);
                break;
            case IConditionalOperation conditional:
            {
                var condition = LowerExpr(conditional.Condition);
                nesting++;
                var whenTrue = new List<IrStatement>();
                LowerStatement(conditional.WhenTrue, whenTrue);
                var whenFalse = new List<IrStatement>();
                if (conditional.WhenFalse is { } elseBranch) LowerStatement(elseBranch, whenFalse);
                nesting--;
                output.Add(new IrIf(condition, Flatten(whenTrue), Flatten(whenFalse)));
                break;
            }
            case IReturnOperation ret:
                if (!LowerStructReturn(ret, output)) output.Add(new IrReturn(ret.ReturnedValue is { } value ? LowerExpr(value) : null));
                break;
            case IForLoopOperation forLoop:
            {
                foreach (var before in forLoop.Before) LowerStatement(before, output);
                nesting++;
                var body = new List<IrStatement>();
                LowerStatement(forLoop.Body, body);
                var step = new List<IrStatement>();
                foreach (var increment in forLoop.AtLoopBottom) LowerStatement(increment, step);
                nesting--;
                pending = null;
                var condition = forLoop.Condition is { } c ? LowerExpr(c) : Ir.True;
                output.Add(new IrLoop(condition, Flatten(body), Flatten(step)));
                break;
            }
            case IWhileLoopOperation whileLoop when whileLoop.Condition is not null && !whileLoop.ConditionIsUntil:
            {
                nesting++;
                var body = new List<IrStatement>();
                LowerStatement(whileLoop.Body, body);
                nesting--;
                pending = null;
                output.Add(new IrLoop(LowerExpr(whileLoop.Condition), Flatten(body), IrBlock.Empty, whileLoop.ConditionIsTop));
                break;
            }
            case IForEachLoopOperation forEach:
                if (!LowerStructForEach(forEach, output)) LowerForEach(forEach, output);
                break;
            case IBranchOperation { BranchKind: BranchKind.Break }:
                output.Add(new IrBreak());
                break;
            case IBranchOperation { BranchKind: BranchKind.Continue }:
                output.Add(new IrContinue());
                break;
            case IEmptyOperation:
                break;
            default:
                Unsupported(operation, StatementName(operation), StatementAdvice(operation));
                break;
        }
    }

    /// <summary><c>foreach (var x in a) body</c> becomes <c>for (int i = 0; i &lt; a.Length; i++) { var x = a[i]; body }</c>.</summary>
    private void LowerForEach(IForEachLoopOperation forEach, List<IrStatement> output)
    {
        var collection = forEach.Collection is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : forEach.Collection;
        var sequence = LowerExpr(collection);
        if (sequence is not IrVariable { Type.IsSequence: true } array
            || forEach.LoopControlVariable is not IVariableDeclaratorOperation declarator
            || TypeMapping.ToIr(declarator.Symbol.Type) is not { Shape: TypeShape.Scalar } elementType)
        {
            Unsupported(forEach, "This 'foreach' loop", "loop with foreach over an array, matrix or span parameter or local of numbers");
            return;
        }
        var index = Ir.Var(IrType.Int32, FreshName(declarator.Symbol.Name + "_index"));
        output.Add(new IrDeclare(IrType.Int32, index.Name, Ir.Lit(IrType.Int32, 0)));
        nesting++;
        // A T[,] is walked row by row, as C# does, with one flat index (so that break and continue keep their meaning).
        var body = new List<IrStatement>
        {
            new IrDeclare(elementType, UniqueName(declarator.Symbol), Ir.Convert(elementType, FlatElement(array, index))),
        };
        LowerStatement(forEach.Body, body);
        nesting--;
        output.Add(OverAllElements(array, index, new IrBlock(body.ToEquatableArray())));
    }

    /// <summary>
    /// Element <paramref name="index"/> of an array counted flat: <c>a[k]</c>, or for a <c>T[,]</c> row by row,
    /// <c>a[k / columns, k % columns]</c>.
    /// </summary>
    private static IrElement FlatElement(IrVariable array, IrVariable index)
    {
        if (!array.Type.IsMatrix) return new IrElement(array.Type.Element, array, index);
        var columns = new IrLength(array) { Dimension = 1 };
        return new IrElement(array.Type.Element, array, new IrBinary(IrType.Int32, BinaryOp.Divide, index, columns))
        {
            Column = new IrBinary(IrType.Int32, BinaryOp.Remainder, index, columns),
        };
    }

    /// <summary><c>for (; k &lt; a.Length; k++) body</c>: a loop over every element, counted flat (<see cref="FlatElement"/>).</summary>
    private static IrLoop OverAllElements(IrVariable array, IrVariable index, IrBlock body)
        => new(Ir.Compare(BinaryOp.Less, index, new IrLength(array)), body,
            IrBlock.Of(Ir.Assign(index.Name, new IrBinary(IrType.Int32, BinaryOp.Add, index, Ir.Lit(IrType.Int32, 1)))));

    /// <summary>
    /// The first line of a statement, for <c>#line</c> in generated code, relative to <see cref="BaseLine"/>; null when its
    /// file has no path.
    /// </summary>
    private SourceLine? SourceOf(SyntaxNode syntax)
    {
        var location = inlineSite ?? syntax.GetLocation();
        var path = location.SourceTree?.FilePath;
        if (string.IsNullOrEmpty(path) || path!.IndexOf('"') >= 0 || path.IndexOf('\n') >= 0) return null;
        return new SourceLine(path, location.GetLineSpan().StartLinePosition.Line + 1 - BaseLine);
    }

    private static IrBlock Flatten(List<IrStatement> statements)
        => statements.Count == 1 && statements[0] is IrBlock block ? block : new IrBlock(statements.ToEquatableArray());

    private void LowerDeclarator(IVariableDeclaratorOperation declarator, IOperation? initializer, List<IrStatement> output)
    {
        if (LowerStructDeclarator(declarator, initializer, output)) return;
        var local = declarator.Symbol;
        // A const local's uses arrive as literals (Roslyn folds them); declaring it again would leave an unused local.
        if (local.IsConst) return;
        var type = TypeMapping.ToIr(local.Type);
        if (type is null)
        {
            var function = initializer is IDelegateCreationOperation creation ? creation.Target : initializer;
            if (function is IAnonymousFunctionOperation lambda)
            {
                Unsupported(declarator, "A lambda" + CapturedNames(lambda.Syntax, lambda.SemanticModel), LambdaAdvice);
            }
            else if (local.Type.TypeKind == TypeKind.Dynamic)
            {
                Unsupported(declarator, "A 'dynamic' local", "use double or float locals, whose operations AutoDiff knows");
            }
            else if (local.Type.TypeKind == TypeKind.Pointer)
            {
                Unsupported(declarator, "A pointer", "use arrays or spans, which AutoDiff differentiates element by element");
            }
            else
            {
                Unsupported(declarator, $"A local of type '{local.Type.ToDisplayString()}'", "use double, float, int, long or bool locals");
            }
            return;
        }
        if (local.IsRef)
        {
            Unsupported(declarator, "A ref local", "use an ordinary local");
            return;
        }
        var name = UniqueName(local);
        if (type.IsSequence && nesting == 0 && initializer is IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: { } elements })
        {
            // double[] c = { 1, -2, x }.
            DeclareInitialised(Ir.Var(type, name), elements, output);
            return;
        }
        var stackAllocated = initializer is null ? null : StackAlloc(initializer, type);
        if (type.IsSequence && nesting > 0 && initializer is not null && stackAllocated is null && HoistedArray(initializer, type, name, output)) return;
        var value = initializer is null ? null : stackAllocated ?? LowerExpr(initializer);
        // An array made by a [Differentiable] method that returns one (double[] p = Project(x)), at the top of the body.
        if (type.IsSequence && nesting == 0 && value is IrCall { Method.IsDifferentiable: true, Type.IsFloatingPointSequence: true })
        {
            if (ArrayResultRefusal(initializer!) is null) output.Add(new IrDeclare(type, name, value));
            return;
        }
        if (type.IsSequence && (nesting > 0 || value is not IrNewArray))
        {
            Unsupported(declarator, $"The array '{local.Name}' declared here",
                "initialise local arrays with new T[length] (or an initialiser at the top of the method body); inside a loop or branch, give them a size that nothing in the loop changes");
            return;
        }
        output.Add(new IrDeclare(type, name, value));
    }

    /// <summary>
    /// A local array declared inside a loop or branch (<c>var centred = new double[d];</c> for each data point): it is
    /// made once, before the method-body statement around it, and zeroed where it is declared, as a new array would be.
    /// That is the same only when its size is the same each time: the size may read parameters and locals that
    /// nothing in that statement assigns, and nothing else (no calls). Otherwise false, and it stays refused.
    /// </summary>
    private bool HoistedArray(IOperation initializer, IrType type, string name, List<IrStatement> output)
    {
        if (topLevel is not { } around || initializer is not IArrayCreationOperation { Initializer: null } creation
            || creation.DimensionSizes.Length != (type.IsMatrix ? 2 : 1)) return false;
        var read = new List<ISymbol>();
        foreach (var size in creation.DimensionSizes)
        {
            foreach (var node in size.DescendantsAndSelf())
            {
                switch (node)
                {
                    case ILocalReferenceOperation local: read.Add(local.Local); break;
                    case IParameterReferenceOperation parameter: read.Add(parameter.Parameter); break;
                    case ILiteralOperation or IBinaryOperation or IConversionOperation or IParenthesizedOperation: break;
                    case IPropertyReferenceOperation { Property.Name: "Length" }: break;
                    case IInvocationOperation { TargetMethod.Name: "GetLength" }: break;
                    default: return false;
                }
            }
        }
        var assigned = AssignedNames(around.Syntax);
        if (read.Any(symbol => assigned.Contains(symbol.Name))) return false;

        var saved = pending;
        pending = null;
        var rows = LowerExpr(creation.DimensionSizes[0]);
        var columns = type.IsMatrix ? LowerExpr(creation.DimensionSizes[1]) : null;
        pending = saved;
        var array = Ir.Var(type, name);
        around.Output.Insert(around.Start + around.Hoisted, new IrDeclare(type, name, new IrNewArray(type, rows) { Columns = columns }));
        topLevel = around with { Hoisted = around.Hoisted + 1 };

        // Zeroed here, element by element.
        var index = Ir.Var(IrType.Int32, FreshName("_" + name.TrimStart('@', '_') + "Index"));
        var element = FlatElement(array, index);
        output.Add(new IrDeclare(IrType.Int32, index.Name, Ir.Lit(IrType.Int32, 0)));
        output.Add(OverAllElements(array, index, IrBlock.Of(new IrAssignElement(name, element.Index, Ir.Lit(type.Element, 0)) { Column = element.Column })));
        return true;
    }

    /// <summary>The names that a statement assigns anywhere in it (declared, assigned, incremented): by name, to be safe.</summary>
    private static HashSet<string> AssignedNames(SyntaxNode statement)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var node in statement.DescendantNodesAndSelf())
        {
            switch (node)
            {
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax target }: names.Add(target.Identifier.ValueText); break;
                case PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax operand } prefix
                    when prefix.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PreIncrementExpression) || prefix.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PreDecrementExpression):
                    names.Add(operand.Identifier.ValueText); break;
                case PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax operand }: names.Add(operand.Identifier.ValueText); break;
                case VariableDeclaratorSyntax declaratorSyntax: names.Add(declaratorSyntax.Identifier.ValueText); break;
                case ForEachStatementSyntax forEachSyntax: names.Add(forEachSyntax.Identifier.ValueText); break;
                case ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax byRef }: names.Add(byRef.Identifier.ValueText); break;
            }
        }
        return names;
    }

    /// <summary>A new array made from an initialiser (<c>{ a, b, c }</c>): declared as long, then its elements written in order.</summary>
    private void DeclareInitialised(IrVariable array, IArrayInitializerOperation elements, List<IrStatement> output)
    {
        output.Add(new IrDeclare(array.Type, array.Name, new IrNewArray(array.Type, Ir.Lit(IrType.Int32, elements.ElementValues.Length))));
        for (int i = 0; i < elements.ElementValues.Length; i++)
        {
            var value = LowerExpr(elements.ElementValues[i]);
            output.Add(new IrAssignElement(array.Name, Ir.Lit(IrType.Int32, i), Ir.Convert(array.Type.Element, value)));
        }
    }

    /// <summary><c>stackalloc T[n]</c> initialising a <c>Span&lt;T&gt;</c> local: a new array that lives on the stack.</summary>
    private IrExpr? StackAlloc(IOperation initializer, IrType type)
    {
        var syntax = initializer.Syntax;
        if (syntax is not StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax arrayType } || type.Shape != TypeShape.Span) return null;
        if (arrayType.RankSpecifiers.Count != 1 || arrayType.RankSpecifiers[0].Sizes.Count != 1) return null;
        var size = arrayType.RankSpecifiers[0].Sizes[0];
        return initializer.SemanticModel?.GetOperation(size) is { } sizeOperation ? new IrNewArray(type, LowerExpr(sizeOperation)) : null;
    }

    private void LowerExpressionStatement(IOperation operation, List<IrStatement> output)
    {
        if (LowerStructAssignment(operation, output)) return;
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment when ElementTarget(assignment.Target) is { } element:
                output.Add(new IrAssignElement(element.Sequence.Name, element.Index, Ir.Convert(element.Type, LowerExpr(assignment.Value))) { Column = element.Column });
                break;
            case ICompoundAssignmentOperation compoundElement when ElementTarget(compoundElement.Target) is { } element:
            {
                var op = BinaryOperator(compoundElement.OperatorKind);
                if (op is null || compoundElement.OperatorMethod is not null)
                {
                    Unsupported(compoundElement, $"The operator '{compoundElement.OperatorKind}'", "use + - * / or %");
                    return;
                }
                var value = LowerExpr(compoundElement.Value);
                var result = new IrBinary(value.Type, op.Value, Ir.Convert(value.Type, element), value);
                output.Add(new IrAssignElement(element.Sequence.Name, element.Index, Ir.Convert(element.Type, result)) { Column = element.Column });
                break;
            }
            case ISimpleAssignmentOperation assignment:
            {
                var target = AssignmentTarget(assignment.Target);
                if (target is null) return;
                output.Add(new IrAssign(target.Name, LowerExpr(assignment.Value)));
                break;
            }
            case ICompoundAssignmentOperation compound:
            {
                var target = AssignmentTarget(compound.Target);
                if (target is null) return;
                if (compound.OperatorMethod is not null)
                {
                    Unsupported(compound, "A user-defined operator", "use double or float arithmetic");
                    return;
                }
                var op = BinaryOperator(compound.OperatorKind);
                if (op is null)
                {
                    Unsupported(compound, $"The operator '{compound.OperatorKind}'", "use + - * / or %");
                    return;
                }
                var value = LowerExpr(compound.Value);
                // x op= v is x = (T)((U)x op v), where U is the operator's operand type.
                var operandType = value.Type;
                var result = new IrBinary(operandType, op.Value, Ir.Convert(operandType, target), value);
                output.Add(new IrAssign(target.Name, Ir.Convert(target.Type, result)));
                break;
            }
            case IIncrementOrDecrementOperation increment:
            {
                var target = AssignmentTarget(increment.Target);
                if (target is null) return;
                var op = increment.Kind == OperationKind.Increment ? BinaryOp.Add : BinaryOp.Subtract;
                output.Add(new IrAssign(target.Name, new IrBinary(target.Type, op, target, Ir.Lit(target.Type, 1))));
                break;
            }
            case IInvocationOperation invocation:
                // A discarded result cannot carry a derivative, so a call without one is harmless here.
                output.Add(new IrExpressionStatement(LowerInvocation(invocation, resultUsed: false)));
                break;
            default:
                Unsupported(operation, StatementName(operation), StatementAdvice(operation));
                break;
        }
    }

    /// <summary>The element an assignment writes, when it writes one of a local array; null when the target is not an element.</summary>
    private IrElement? ElementTarget(IOperation target)
    {
        if (target is not (IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true })) return null;
        var element = LowerExpr(target) as IrElement;
        if (element is null) return null;
        // A method writes its results into Span<T> parameters (its outputs), and may update array parameters in place
        // (index scratch, or an input the caller passes); read-only spans are inputs.
        if (!localNames.Values.Contains(element.Sequence.Name) && element.Sequence.Type.Shape is not (TypeShape.Span or TypeShape.Array))
        {
            Unsupported(target, $"A write into the elements of the parameter '{element.Sequence.Name}'",
                "read-only spans are inputs: copy into a local array (new T[n]) and write there, or take the results in a Span<T> parameter");
        }
        return element;
    }

    /// <summary>The integer local or parameter an assignment inside an expression writes (<c>k++</c>, <c>k += 2</c>); null otherwise.</summary>
    private static IOperation? IntegerTargetOf(IOperation operation)
    {
        var target = operation switch
        {
            IIncrementOrDecrementOperation increment => increment.Target,
            IAssignmentOperation assignment => assignment.Target,
            _ => null,
        };
        return target is ILocalReferenceOperation or IParameterReferenceOperation && TypeMapping.ToIr(target.Type) is { IsInteger: true } ? target : null;
    }

    /// <summary>
    /// An assignment to an integer local inside an expression, the C idiom for walking an array (<c>theta[i++]</c>,
    /// <c>x[k++] = v</c>, <c>a[++k]</c>, <c>a[k += 2]</c>): the assignment goes just before the statement, and the
    /// expression reads the value it gives (the old one, kept in a temporary, for <c>k++</c>). That is C#'s order only
    /// when nothing else in the expression mentions the variable, and only where the expression runs whenever the
    /// statement does: otherwise it is refused.
    /// </summary>
    private IrExpr LowerAssignmentInExpression(IOperation operation, IOperation targetOperation)
    {
        var advice = "write the assignment as a statement of its own";
        if (pending is null)
        {
            return Unsupported(operation, $"The assignment inside the expression '{Shorten(operation.Syntax.ToString())}', in a part that runs conditionally or again (a loop's condition, a branch of ?:, the right of && or ||)", advice);
        }
        var symbol = targetOperation switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };
        var whole = operation.Syntax;
        while (whole.Parent is ExpressionSyntax or ArgumentSyntax or BracketedArgumentListSyntax or ArgumentListSyntax) whole = whole.Parent;
        int mentions = whole.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()
            .Count(name => name.Identifier.ValueText == symbol?.Name && SymbolEqualityComparer.Default.Equals(operation.SemanticModel?.GetSymbolInfo(name).Symbol, symbol));
        if (mentions != 1)
        {
            return Unsupported(operation, $"The assignment inside the expression '{Shorten(whole.ToString())}', which also reads '{symbol?.Name}'", advice + ", so that the order of the reads is plain");
        }
        var target = AssignmentTarget(targetOperation);
        if (target is null) return Ir.Lit(IrType.Int32, 0);
        switch (operation)
        {
            case IIncrementOrDecrementOperation increment:
            {
                var op = increment.Kind == OperationKind.Increment ? BinaryOp.Add : BinaryOp.Subtract;
                IrExpr read = target;
                if (increment.IsPostfix)
                {
                    var before = FreshName("_" + target.Name.TrimStart('@', '_') + "Before");
                    pending.Add(new IrDeclare(target.Type, before, target));
                    read = Ir.Var(target.Type, before);
                }
                pending.Add(new IrAssign(target.Name, new IrBinary(target.Type, op, target, Ir.Lit(target.Type, 1))));
                return read;
            }
            case ISimpleAssignmentOperation simple:
                pending.Add(new IrAssign(target.Name, Ir.Convert(target.Type, LowerExpr(simple.Value))));
                return target;
            case ICompoundAssignmentOperation compound when compound.OperatorMethod is null && BinaryOperator(compound.OperatorKind) is { } op:
            {
                var value = LowerExpr(compound.Value);
                pending.Add(new IrAssign(target.Name, Ir.Convert(target.Type, new IrBinary(value.Type, op, Ir.Convert(value.Type, target), value))));
                return target;
            }
            default:
                return Unsupported(operation, $"The operator '{((ICompoundAssignmentOperation)operation).OperatorKind}'", "use + - * / or %");
        }
    }

    private IrVariable? AssignmentTarget(IOperation target)
    {
        switch (target)
        {
            case ILocalReferenceOperation { Type: not null } local when TypeMapping.ToIr(local.Type) is { IsSequence: true }:
            case IParameterReferenceOperation { Type: not null } parameter when TypeMapping.ToIr(parameter.Type) is { IsSequence: true }:
                Unsupported(target, $"An assignment to the array '{target.Syntax}'", "arrays are assigned only where they are declared; write their elements instead");
                return null;
            case ILocalReferenceOperation local when TypeMapping.ToIr(local.Type) is { } type:
                return Ir.Var(type, UniqueName(local.Local));
            case IParameterReferenceOperation parameter when TypeMapping.ToIr(parameter.Type) is { } type:
                if (parameter.Parameter.RefKind != RefKind.None && !(AllowRefParameterWrites && parameter.Parameter.RefKind == RefKind.Ref))
                {
                    Unsupported(target, $"A write to the {TypeMapping.RefKindKeyword(parameter.Parameter.RefKind)} parameter '{parameter.Parameter.Name}'", "return the value instead");
                    return null;
                }
                return Ir.Var(type, TypeMapping.Identifier(parameter.Parameter.Name));
            case IFieldReferenceOperation field:
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.WriteToSharedState, Loc(target.Syntax),
                    $"The write to the {(field.Field.IsStatic ? "static " : "")}field '{field.Field.Name}'"));
                return null;
            case IPropertyReferenceOperation { Property.IsIndexer: false } property:
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.WriteToSharedState, Loc(target.Syntax),
                    $"The write to the {(property.Property.IsStatic ? "static " : "")}property '{property.Property.Name}'"));
                return null;
            default:
                Unsupported(target, $"An assignment to '{target.Syntax}'", "assign only to locals and parameters");
                return null;
        }
    }

    private IrExpr LowerExpr(IOperation operation)
    {
        var type = TypeMapping.ToIr(operation.Type);
        if (operation.ConstantValue.HasValue && type is not null)
        {
            return ConstantOf(type, operation.ConstantValue.Value);
        }

        if (LowerStructMemberRead(operation, type ?? IrType.Double) is { } structRead) return structRead;
        switch (operation)
        {
            case ILocalReferenceOperation local when type is not null:
                return Ir.Var(type, UniqueName(local.Local));
            case IParameterReferenceOperation parameter when type is not null:
                return Ir.Var(type, TypeMapping.Identifier(parameter.Parameter.Name));
            case IFieldReferenceOperation { Field.IsStatic: true } field when type is not null:
                return new IrStaticField(type, TypeMapping.FullyQualified(field.Field.ContainingType), field.Field.Name);
            // The fields and properties of the method's own object (an instance method of a class): constants.
            case IFieldReferenceOperation { Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } ownField
                when type is { Shape: TypeShape.Scalar }:
                return new IrStaticField(type, IrStaticField.This, TypeMapping.Identifier(ownField.Field.Name));
            case IPropertyReferenceOperation { Property.IsIndexer: false, Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } ownProperty
                when type is { Shape: TypeShape.Scalar }:
                return new IrStaticField(type, IrStaticField.This, TypeMapping.Identifier(ownProperty.Property.Name));
            case IBinaryOperation binary when type is not null:
                return LowerBinary(binary, type);
            case IUnaryOperation unary when type is not null:
                return LowerUnary(unary, type);
            case IConversionOperation conversion when type is not null:
                return LowerConversion(conversion, type);
            case IConditionalOperation conditional when type is not null && conditional.WhenFalse is not null:
            {
                var condition = LowerExpr(conditional.Condition);
                // A temporary of one branch would run whether or not the branch is taken.
                var saved = pending;
                pending = null;
                var whenTrue = LowerExpr(conditional.WhenTrue);
                var whenFalse = LowerExpr(conditional.WhenFalse);
                pending = saved;
                return new IrConditional(type, condition, whenTrue, whenFalse);
            }
            case IIncrementOrDecrementOperation or ISimpleAssignmentOperation or ICompoundAssignmentOperation
                when IntegerTargetOf(operation) is { } integerTarget:
                return LowerAssignmentInExpression(operation, integerTarget);
            case IInvocationOperation { TargetMethod.Name: "GetLength", Instance: { } getLengthOf, Arguments.Length: 1 } getLength
                when TypeMapping.ToIr(getLengthOf.Type) is { IsMatrix: true } && getLength.Arguments[0].Value.ConstantValue is { HasValue: true, Value: int dimension }:
                return LowerExpr(getLengthOf) is IrVariable matrixVariable
                    ? new IrLength(matrixVariable) { Dimension = dimension }
                    : Unsupported(operation, $"The length of '{getLengthOf.Syntax}'", "take the length of a parameter or local");
            case IInvocationOperation invocation:
                return LowerInvocation(invocation, resultUsed: true);
            case IArrayElementReferenceOperation { Indices.Length: 1 } arrayElement when type is not null:
                return LowerElement(arrayElement, arrayElement.ArrayReference, arrayElement.Indices[0], type);
            case IArrayElementReferenceOperation { Indices.Length: 2 } matrixElement when type is not null:
                return LowerElement(matrixElement, matrixElement.ArrayReference, matrixElement.Indices[0], type) is IrElement rowElement
                    ? rowElement with { Column = LowerExpr(matrixElement.Indices[1]) }
                    : Ir.Lit(type, 0);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { } span } indexer
                when type is not null && TypeMapping.ToIr(span.Type) is { IsSequence: true }:
                return LowerElement(indexer, span, indexer.Arguments[0].Value, type);
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } lengthOf } when TypeMapping.ToIr(lengthOf.Type) is { IsSequence: true }:
                return LowerExpr(lengthOf) is IrVariable sequenceVariable
                    ? new IrLength(sequenceVariable)
                    : Unsupported(operation, $"The length of '{lengthOf.Syntax}'", "take the length of a parameter or local");
            case IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: { } elements } when type is { IsSequence: true } && nesting == 0 && pending is not null:
            {
                // new[] { a, b } passed on: a local array made just before the statement.
                var array = Ir.Var(type.WithShape(TypeShape.Array), FreshName("_array"));
                DeclareInitialised(array, elements, pending);
                return array;
            }
            case IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: null } creation when type is not null:
                return new IrNewArray(type, LowerExpr(creation.DimensionSizes[0]));
            case IArrayCreationOperation { DimensionSizes.Length: 2, Initializer: null } matrixCreation when type is not null:
                return new IrNewArray(type, LowerExpr(matrixCreation.DimensionSizes[0])) { Columns = LowerExpr(matrixCreation.DimensionSizes[1]) };
            case IParenthesizedOperation parenthesized:
                return LowerExpr(parenthesized.Operand);
        }

        if (type is null && operation.Type is not null)
        {
            return Unsupported(operation, $"A value of type '{operation.Type.ToDisplayString()}'", "use double, float, int, long or bool values");
        }
        return Unsupported(operation, ExpressionName(operation), ExpressionAdvice(operation));
    }

    private IrExpr LowerElement(IOperation operation, IOperation sequence, IOperation index, IrType type)
    {
        var loweredSequence = LowerExpr(sequence);
        if (loweredSequence is not IrVariable { Type.IsSequence: true } variable)
        {
            return Unsupported(operation, $"The element access '{operation.Syntax}'", "index a parameter or local array or span");
        }
        return new IrElement(type, variable, LowerExpr(index));
    }

    private static IrLiteral ConstantOf(IrType type, object? value) => value switch
    {
        bool b => Ir.Lit(type, b ? 1 : 0),
        double d => Ir.Lit(type, d),
        float f => Ir.Lit(type, f),
        int i => Ir.Lit(type, i),
        long l => Ir.Lit(type, l),
        _ => Ir.Lit(type, System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
    };

    private IrExpr LowerBinary(IBinaryOperation binary, IrType type)
    {
        if (binary.OperatorMethod is not null)
        {
            return Unsupported(binary, $"The user-defined operator '{binary.OperatorMethod.ToDisplayString()}'", "use double or float arithmetic");
        }
        var op = BinaryOperator(binary.OperatorKind);
        if (op is null)
        {
            return Unsupported(binary, $"The operator '{binary.OperatorKind}'", "use arithmetic, comparison and logical operators");
        }
        var left = LowerExpr(binary.LeftOperand);
        // The right operand of && and || runs only sometimes: no temporaries for it.
        var saved = pending;
        if (op is BinaryOp.ConditionalAnd or BinaryOp.ConditionalOr) pending = null;
        var right = LowerExpr(binary.RightOperand);
        pending = saved;
        if (op is BinaryOp.Equal or BinaryOp.NotEqual && (left.Type.IsFloatingPoint || right.Type.IsFloatingPoint))
        {
            var location = Loc(binary.Syntax);
            var text = Shorten(binary.Syntax.ToString());
            hazards.Add(new Hazard(HazardKind.FloatEquality, new[] { left, right },
                new[] { Loc(binary.LeftOperand.Syntax), Loc(binary.RightOperand.Syntax) },
                properties => Diagnostic.Create(DiagnosticDescriptors.FloatEquality, location, properties, text)));
        }
        return new IrBinary(type, op.Value, left, right);
    }

    private static BinaryOp? BinaryOperator(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Add => BinaryOp.Add,
        BinaryOperatorKind.Subtract => BinaryOp.Subtract,
        BinaryOperatorKind.Multiply => BinaryOp.Multiply,
        BinaryOperatorKind.Divide => BinaryOp.Divide,
        BinaryOperatorKind.Remainder => BinaryOp.Remainder,
        BinaryOperatorKind.Equals => BinaryOp.Equal,
        BinaryOperatorKind.NotEquals => BinaryOp.NotEqual,
        BinaryOperatorKind.LessThan => BinaryOp.Less,
        BinaryOperatorKind.LessThanOrEqual => BinaryOp.LessOrEqual,
        BinaryOperatorKind.GreaterThan => BinaryOp.Greater,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOp.GreaterOrEqual,
        BinaryOperatorKind.ConditionalAnd => BinaryOp.ConditionalAnd,
        BinaryOperatorKind.ConditionalOr => BinaryOp.ConditionalOr,
        BinaryOperatorKind.And => BinaryOp.And,
        BinaryOperatorKind.Or => BinaryOp.Or,
        BinaryOperatorKind.ExclusiveOr => BinaryOp.Xor,
        _ => null,
    };

    private IrExpr LowerUnary(IUnaryOperation unary, IrType type)
    {
        if (unary.OperatorMethod is not null)
        {
            return Unsupported(unary, $"The user-defined operator '{unary.OperatorMethod.ToDisplayString()}'", "use double or float arithmetic");
        }
        return unary.OperatorKind switch
        {
            UnaryOperatorKind.Plus => LowerExpr(unary.Operand),
            UnaryOperatorKind.Minus => new IrUnary(type, UnaryOp.Negate, LowerExpr(unary.Operand)),
            UnaryOperatorKind.Not => new IrUnary(type, UnaryOp.Not, LowerExpr(unary.Operand)),
            _ => Unsupported(unary, $"The operator '{unary.OperatorKind}'", "use arithmetic, comparison and logical operators"),
        };
    }

    private IrExpr LowerConversion(IConversionOperation conversion, IrType type)
    {
        // An array or span viewed as a (read-only) span of the same elements: the variable itself.
        if (type.IsSequence && TypeMapping.ToIr(conversion.Operand.Type) is { IsSequence: true } from && from.Kind == type.Kind)
        {
            return LowerExpr(conversion.Operand);
        }
        if (!conversion.Conversion.Exists)
        {
            // Code that does not compile (bool to double, say): the compiler reports it; printing it as a cast would not compile either.
            return Unsupported(conversion, $"Converting '{conversion.Operand.Type?.ToDisplayString() ?? "?"}' to '{conversion.Type?.ToDisplayString()}'", "convert between double, float, int and long");
        }
        if (conversion.OperatorMethod is not null)
        {
            return Unsupported(conversion, $"The user-defined conversion '{conversion.OperatorMethod.ToDisplayString()}'", "convert between double, float, int and long");
        }
        var operand = LowerExpr(conversion.Operand);
        if (operand.Type == type) return operand;
        if (type.IsInteger && operand.Type.IsFloatingPoint)
        {
            var location = Loc(conversion.Syntax);
            var display = conversion.Operand.Syntax.ToString();
            hazards.Add(new Hazard(HazardKind.IntegerCast, new[] { operand }, new[] { Loc(conversion.Operand.Syntax) },
                properties => Diagnostic.Create(DiagnosticDescriptors.IntegerCastCutsDerivative, location, properties, display, type.Keyword)));
        }
        return new IrConvert(type, operand);
    }

    private IrExpr LowerInvocation(IInvocationOperation invocation, bool resultUsed)
    {
        if (GeneratedDerivative(invocation.TargetMethod) is not null)
        {
            return LowerNestedDerivative(invocation) as IrExpr
                ?? Unsupported(invocation, $"The tuple from '{invocation.TargetMethod.Name}'", "keep it in a local (var g = ...) or deconstruct it, and read its elements");
        }
        var method = invocation.TargetMethod;
        var display = $"{method.ContainingType.Name}.{method.Name}";
        if (method.ContainingType.ContainingNamespace?.ToDisplayString() == "System.Linq")
        {
            return Unsupported(invocation, $"The LINQ call '{display}'", "write the loop (for or foreach over the array) yourself; AutoDiff differentiates loops");
        }
        var arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).ToList();
        if (arguments.Any(a => a.ArgumentKind == Microsoft.CodeAnalysis.Operations.ArgumentKind.ParamArray || a.Parameter?.RefKind != RefKind.None))
        {
            return Unsupported(invocation, $"The call to '{display}' with ref, out, in or params arguments", "pass plain values");
        }
        // A call whose result is discarded may return void: it is made for its side effects.
        var type = invocation.Type?.SpecialType == SpecialType.System_Void && !resultUsed ? IrType.Void : TypeMapping.ToIr(invocation.Type);
        if (SideEffectOf(method) is { } sideEffect)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.SideEffectRepeats, Loc(invocation.Syntax), display, sideEffect));
        }
        else if (type is { IsVoid: true } && !TypeMapping.IsDifferentiable(method))
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.SideEffectRepeats, Loc(invocation.Syntax), display,
                "returns nothing, so it is made for its side effects"));
        }
        if (type is null)
        {
            return Unsupported(invocation, $"The call to '{display}', which returns '{invocation.Type?.ToDisplayString() ?? "void"}',", "call methods that return double, float, int, long or bool");
        }
        // A [Differentiable] callee may be given slices of arrays and spans (a camera's parameters inside one vector).
        bool takesSlices = TypeMapping.IsDifferentiable(method);
        var loweredArguments = arguments.Select(a => (takesSlices ? SliceArgument(a.Value, a.Parameter) : null) ?? LowerExpr(a.Value)).ToList();
        if (loweredArguments.Any(a => a.Type.IsSequence && a is not (IrVariable or IrSlice)))
        {
            return Unsupported(invocation, $"The call to '{display}' with this array argument", "pass an array or span parameter or local");
        }
        if (loweredArguments.Any(a => a.Type.IsSequence) && !TypeMapping.IsDifferentiable(method))
        {
            return Unsupported(invocation, $"The call to '{display}' with an array or span argument", "only [Differentiable] methods take arrays in a [Differentiable] method");
        }

        var containing = method.ContainingType;
        if (method.Name == "WithoutDerivative" && containing.ToDisplayString() == TypeMapping.StopDerivativeClassName && loweredArguments.Count == 1)
        {
            return new IrStopDerivative(type, loweredArguments[0]);
        }
        bool isMath = containing.ContainingNamespace?.ToDisplayString() == "System" && containing.Name is "Math" or "MathF";
        if (isMath && MathFunctionOf(method.Name, arguments.Count) is { } function)
        {
            var call = new IrMathCall(type, function, loweredArguments.ToEquatableArray());
            var location = Loc(invocation.Syntax);
            var argumentLocations = arguments.Select(a => (Location?)Loc(a.Value.Syntax)).ToList();
            if (function.IsPiecewiseConstant())
            {
                var text = invocation.Syntax.ToString();
                hazards.Add(new Hazard(HazardKind.PiecewiseConstant, loweredArguments, argumentLocations,
                    properties => Diagnostic.Create(DiagnosticDescriptors.PiecewiseConstantFunction, location, properties, display, text)));
            }
            else if (NonDifferentiablePoints(function) is { } convention)
            {
                // Pow has a point without a derivative only through its exponent (x ≤ 0); x^2 is smooth in x.
                var operands = function == MathFunction.Pow ? loweredArguments.Skip(1).ToList() : loweredArguments;
                var operandLocations = function == MathFunction.Pow ? argumentLocations.Skip(1).ToList() : argumentLocations;
                hazards.Add(new Hazard(HazardKind.NonDifferentiablePoint, operands, operandLocations,
                    properties => Diagnostic.Create(DiagnosticDescriptors.NonDifferentiablePoint, location, properties, display, convention.Where, convention.Convention)));
            }
            return call;
        }

        if (method.MethodKind == MethodKind.LocalFunction)
        {
            return Unsupported(invocation, $"The call to the local function '{method.Name}'", "move it into a static [Differentiable] method of the type");
        }
        if (DispatchKind(method) is { } dispatch)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.DynamicDispatch, Loc(invocation.Syntax), display, dispatch));
            return Ir.Lit(type.IsVoid ? IrType.Double : type, 0);
        }
        // An instance method of the same object (an instance [Differentiable] method calling another): called on 'this'.
        bool onThis = !method.IsStatic && invocation.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };
        // A static method of a generic type (Box<int>.G) is called through the constructed type, like its derivatives.
        if (!method.IsStatic && !onThis || method.IsGenericMethod)
        {
            var advice = !method.IsStatic
                ? "calls on another object are not supported; call a static method, or a method of the method's own object"
                : "calls to generic methods are not supported yet; call a static, non-generic method";
            return Unsupported(invocation, $"The call to '{display}'", advice);
        }
        var parameterTypes = method.Parameters.Select(p => TypeMapping.ToIr(p.Type)).ToList();
        if (parameterTypes.Any(t => t is null))
        {
            // Math.Round(x, MidpointRounding.ToEven): the overload is named, since Math.Round(x) is supported.
            return Unsupported(invocation, $"The call to '{(isMath ? Overload(method) : display)}'", "its parameters must be double, float, int, long or bool");
        }

        // A method of another library can have hand-written rules through a [CustomDerivative(typeof(T), "Name")]
        // forwarder in this compilation: the call goes to the forwarder.
        if (!TypeMapping.IsDifferentiable(method) && invocation.SemanticModel?.Compilation is { } compilation
            && TypeMapping.RegisteredForwarder(method, compilation) is { } forwarder)
        {
            method = forwarder;
            containing = forwarder.ContainingType;
        }
        bool differentiable = TypeMapping.IsDifferentiable(method);
        // What a generated callee of this compilation writes into of what it is given (null for other callees).
        var written = differentiable && method.DeclaringSyntaxReferences.Length > 0 && !TypeMapping.IsCustomDerivative(method)
            && invocation.SemanticModel?.Compilation is { } calleeCompilation
            ? WrittenParameters.Of(method, calleeCompilation)
            : null;
        bool[]? WrittenOf(System.Func<ITypeSymbol, bool> kind)
            => written?.Select((w, i) => w && kind(method.Parameters[i].Type)).ToArray() is { } marks && marks.Any(w => w) ? marks : null;
        // A double[] or float[] updated in place is not supported in a caller yet.
        if (WrittenOf(WrittenParameters.IsFloatingPointArray) is { } updated)
        {
            return Unsupported(invocation, $"The call to '{display}', which updates its parameter '{method.Parameters[System.Array.IndexOf(updated, true)].Name}' in place,",
                "calls to methods that write into a double[] or float[] they are given are not supported yet; write the results into a Span<T> parameter, or copy the array into a local first in the callee");
        }
        // Index arrays (int[], long[], bool[]) it writes are kept and restored around the call, without derivatives.
        var writtenIndexArrays = WrittenOf(WrittenParameters.IsIndexArray);
        if (writtenIndexArrays is not null)
        {
            if (!StandsAlone(invocation))
            {
                var array = method.Parameters[System.Array.IndexOf(writtenIndexArrays, true)].Name;
                return Unsupported(invocation, $"The call to '{display}', which writes the array it is given for '{array}', inside an expression",
                    "call it in a statement of its own (detS = DetOfMinor(...);), so that the derivatives can keep the array's contents around it");
            }
            if (IndexArrayArgumentRefusal(invocation, display, writtenIndexArrays, loweredArguments) is { } indexRefusal) return indexRefusal;
        }
        bool[]? outputs = null;
        if (differentiable && type.IsVoid)
        {
            if (written is null)
            {
                return Unsupported(invocation, $"The call to the vector-valued method '{display}'",
                    "calls to vector-valued methods of other assemblies, or with hand-written rules, are not supported yet; inline its loop here, or make it return double");
            }
            outputs = WrittenOf(WrittenParameters.IsWritableSpan) ?? new bool[written.Length];
            if (OutputArgumentRefusal(invocation, display, outputs, loweredArguments) is { } refusal) return refusal;
        }
        var parameters = method.Parameters.Select((p, i) => new IrParameter(TypeMapping.Identifier(p.Name), parameterTypes[i]!)
        {
            NoDerivative = TypeMapping.HasNoDerivative(p),
            IsOutput = outputs is not null && outputs[i],
            IsWritten = writtenIndexArrays is not null && writtenIndexArrays[i],
        });
        var reference = new IrMethodRef(onThis ? IrStaticField.This : TypeMapping.FullyQualified(containing), method.Name, differentiable, parameters.ToEquatableArray());
        // A vector-valued callee's tangent writes its outputs' tangents and returns nothing: no out resultTangent.
        if (outputs is not null) reference = reference with { TangentIsValueFree = true };
        if (differentiable && TypeMapping.HasValueFreeRule(method, reference.Parameters.Count(p => p.IsDifferentiable)))
        {
            reference = reference with { HasReverse = true, HasReverseTangent = TypeMapping.HasValueFreeTangentRule(method, reference.Parameters) };
        }
        else if (differentiable && !onThis && writtenIndexArrays is null && TypeMapping.HasSplitPullback(method))
        {
            reference = reference with { HasSplit = true };
        }
        var irCall = new IrCall(type, reference, loweredArguments.Select(a => new IrArgument(a)).ToEquatableArray());
        if (differentiable && method.DeclaringSyntaxReferences.Length > 0)
        {
            sourceCallees.Add(new SourceCall(method, Loc(invocation.Syntax)));
        }
        else if (differentiable)
        {
            CheckSecondOrder(method, invocation);
        }
        // Only a floating-point result can carry a derivative: a call returning bool or int (double.IsNaN(x))
        // is fine on differentiated arguments, and so is a call whose result is discarded.
        if (!differentiable && resultUsed && type.IsFloatingPoint)
        {
            hazards.Add(CallWithoutDerivative(invocation, method, isMath, display, loweredArguments, type, parameterTypes!));
        }
        return irCall;
    }

    /// <summary>
    /// A slice passed to a <c>[Differentiable]</c> method: <c>a.AsSpan(start, length)</c>, <c>a.AsSpan(start)</c>,
    /// <c>s.Slice(start, length)</c>, <c>s.Slice(start)</c>, or a range <c>s[i..j]</c> (<c>^k</c> counts from the end) of
    /// an array or span parameter or local; null for any other argument. A range of an array makes a copy in C#, which is
    /// the same as a view for an input; for an output it is refused, since the callee's results would go into the copy.
    /// </summary>
    private IrExpr? SliceArgument(IOperation value, IParameterSymbol? parameter)
    {
        var operation = Unwrapped(value);
        IOperation source;
        IOperation? start = null, length = null;
        IRangeOperation? range = null;
        bool copies = false;
        switch (operation)
        {
            case IInvocationOperation { TargetMethod: { Name: "AsSpan" } asSpan } call
                when asSpan.ContainingType?.ToDisplayString() == "System.MemoryExtensions" && call.Arguments.Length >= 1:
                source = call.Arguments[0].Value;
                foreach (var argument in call.Arguments.Skip(1))
                {
                    switch (argument.Parameter?.Name)
                    {
                        case "start" when argument.Parameter.Type.SpecialType == SpecialType.System_Int32: start = argument.Value; break;
                        case "length": length = argument.Value; break;
                        case "range" when argument.Value is IRangeOperation r: range = r; break;
                        default: return Unsupported(call, $"The slice '{call.Syntax}'", "slice with AsSpan(start, length), AsSpan(start), Slice or a range a[i..j]");
                    }
                }
                break;
            case IInvocationOperation { TargetMethod.Name: "Slice", Instance: { } instance } call when TypeMapping.ToIr(instance.Type) is { IsSequence: true }:
                source = instance;
                foreach (var argument in call.Arguments)
                {
                    if (argument.Parameter?.Name == "start") start = argument.Value;
                    else if (argument.Parameter?.Name == "length") length = argument.Value;
                }
                break;
            case IImplicitIndexerReferenceOperation { Argument: IRangeOperation r } indexer when TypeMapping.ToIr(indexer.Instance.Type) is { IsSequence: true }:
                source = indexer.Instance;
                range = r;
                break;
            case IArrayElementReferenceOperation { Indices.Length: 1 } element when Unwrapped(element.Indices[0]) is IRangeOperation r:
                // array[i..j]: a copy of the elements.
                source = element.ArrayReference;
                range = r;
                copies = true;
                break;
            default:
                return null;
        }
        if (LowerExpr(source) is not IrVariable { Type.IsSequence: true, Type.IsMatrix: false } sequence)
        {
            return Unsupported(operation, $"The slice '{operation.Syntax}'", "slice an array or span parameter or local");
        }
        var whole = new IrLength(sequence);
        IrExpr first, count;
        if (range is not null)
        {
            first = range.LeftOperand is null ? Ir.Lit(IrType.Int32, 0) : IndexValue(range.LeftOperand, whole);
            var end = range.RightOperand is null ? whole : IndexValue(range.RightOperand, whole);
            // a[k..(k + 3)] has 3 elements.
            count = first is IrLiteral { Value: 0 } ? end
                : end is IrBinary { Op: BinaryOp.Add } sum && Equals(sum.Left, first) ? sum.Right
                : new IrBinary(IrType.Int32, BinaryOp.Subtract, end, first);
        }
        else
        {
            first = start is null ? Ir.Lit(IrType.Int32, 0) : LowerExpr(start);
            count = length is not null ? LowerExpr(length)
                : first is IrLiteral { Value: 0 } ? whole : new IrBinary(IrType.Int32, BinaryOp.Subtract, whole, first);
        }
        if (first.Type != IrType.Int32 || count.Type != IrType.Int32)
        {
            return Unsupported(operation, $"The slice '{operation.Syntax}'", "give its start and length as int values");
        }
        // The view has the type of the parameter it is passed for: a span only where the callee may write it (a copy never).
        var shape = !copies && parameter is not null && WrittenParameters.IsWritableSpan(parameter.Type) ? TypeShape.Span : TypeShape.ReadOnlySpan;
        return new IrSlice(sequence.Type.WithShape(shape), sequence, first, count);
    }

    /// <summary>The operation under any conversions.</summary>
    internal static IOperation Unwrapped(IOperation operation)
    {
        while (operation is IConversionOperation conversion) operation = conversion.Operand;
        return operation;
    }

    /// <summary>An <c>Index</c> of a range: an int, or <c>^k</c> (counted from the end, <c>length - k</c>).</summary>
    private IrExpr IndexValue(IOperation index, IrExpr length)
    {
        index = Unwrapped(index);
        if (index is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } fromEnd)
        {
            return new IrBinary(IrType.Int32, BinaryOp.Subtract, length, LowerExpr(fromEnd.Operand));
        }
        return LowerExpr(index);
    }

    /// <summary>
    /// Why an array returned by a call cannot be differentiated as written, or null: the callee must be a method of this
    /// compilation whose derivatives the generator writes (its pullback returns the array again, and its tangent gives the
    /// array's tangent), not one with hand-written rules.
    /// </summary>
    private IrExpr? ArrayResultRefusal(IOperation initializer)
    {
        var operation = Unwrapped(initializer);
        if (operation is IInvocationOperation { TargetMethod: { } callee } && (callee.DeclaringSyntaxReferences.Length == 0 || TypeMapping.IsCustomDerivative(callee)))
        {
            return Unsupported(operation, $"The array returned by '{callee.ContainingType.Name}.{callee.Name}'",
                "calls to methods of other assemblies, or with hand-written rules, that return arrays are not supported yet; write the results into a Span<T> parameter");
        }
        return null;
    }

    /// <summary>
    /// True for a call that is a statement, the whole value assigned to a variable or returned: a call that writes arrays
    /// it is given must stand so, since the derivatives keep and restore the arrays around that statement.
    /// </summary>
    private static bool StandsAlone(IOperation call)
    {
        var child = call;
        var parent = call.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            child = parent;
            parent = parent.Parent;
        }
        return parent switch
        {
            IExpressionStatementOperation => true,
            ISimpleAssignmentOperation assignment => assignment.Value == child && assignment.Parent is IExpressionStatementOperation
                && assignment.Target is ILocalReferenceOperation or IParameterReferenceOperation,
            IVariableInitializerOperation => true,
            IReturnOperation => true,
            _ => false,
        };
    }

    /// <summary>
    /// Why a call of a method that writes index arrays it is given cannot be differentiated as written, or null when it
    /// can: each must be a local array or a parameter of this method, passed once (the derivatives keep and restore its
    /// contents around the call).
    /// </summary>
    private IrExpr? IndexArrayArgumentRefusal(IInvocationOperation invocation, string display, bool[] written, List<IrExpr> arguments)
    {
        for (int i = 0; i < written.Length && i < arguments.Count; i++)
        {
            if (!written[i]) continue;
            var argumentSyntax = invocation.Arguments.First(a => a.Parameter?.Ordinal == i).Value;
            if (arguments[i] is not IrVariable { Type.Shape: TypeShape.Array } array)
            {
                return Unsupported(argumentSyntax, $"The argument '{argumentSyntax.Syntax}' for '{invocation.TargetMethod.Parameters[i].Name}', which '{display}' writes,",
                    "pass a local array (new int[n]) or an array parameter of this method");
            }
            if (PassedAgain(array, i, arguments))
            {
                return Unsupported(argumentSyntax, $"Passing '{array.Name}' to '{display}' both for '{invocation.TargetMethod.Parameters[i].Name}', which it writes, and as another argument",
                    "pass a copy for one of them");
            }
        }
        return null;
    }

    /// <summary>True when another argument than the <paramref name="position"/>-th passes <paramref name="sequence"/>, whole or sliced.</summary>
    private static bool PassedAgain(IrVariable sequence, int position, List<IrExpr> arguments)
        => arguments.Where((argument, j) => j != position && Ir.SequenceOf(argument)?.Name == sequence.Name).Any();

    /// <summary>
    /// Why a call of a vector-valued method cannot be differentiated as written, or null when it can: each span it writes
    /// must be a floating-point local array or span, or a span parameter (an output of this method too), and passed once,
    /// since the derivatives keep and restore its contents around the call and give its adjoint to the callee's pullback.
    /// </summary>
    private IrExpr? OutputArgumentRefusal(IInvocationOperation invocation, string display, bool[] outputs, List<IrExpr> arguments)
    {
        if (!outputs.Any(o => o))
        {
            return Unsupported(invocation, $"The call to '{display}', which returns nothing and writes no span,", "call methods that return a value or write their results into a Span<T> parameter");
        }
        for (int i = 0; i < outputs.Length && i < arguments.Count; i++)
        {
            if (!outputs[i]) continue;
            var argumentSyntax = invocation.Arguments.First(a => a.Parameter?.Ordinal == i).Value;
            if (arguments[i] is IrSlice { Type.Shape: TypeShape.ReadOnlySpan })
            {
                return Unsupported(argumentSyntax, $"The range '{argumentSyntax.Syntax}' for the output '{invocation.TargetMethod.Parameters[i].Name}' of '{display}'",
                    "a range of an array is a copy, which would receive the results: pass array.AsSpan(start, length)");
            }
            if (Ir.SequenceOf(arguments[i]) is not { Type.IsFloatingPointSequence: true, Type.Shape: TypeShape.Array or TypeShape.Span } output)
            {
                return Unsupported(argumentSyntax, $"The argument '{argumentSyntax.Syntax}' for the output '{invocation.TargetMethod.Parameters[i].Name}' of '{display}'",
                    "pass a local array of double or float (new double[n]), or a Span<double> parameter of this method");
            }
            if (!localNames.Values.Contains(output.Name) && output.Type.Shape != TypeShape.Span)
            {
                return Unsupported(argumentSyntax, $"A write into the elements of the parameter '{output.Name}' (through the call to '{display}')",
                    "a method may write into its array parameters itself, but not through a call yet: copy into a local array (new T[n]) and pass that, or take the results in a Span<T> parameter");
            }
            if (PassedAgain(output, i, arguments))
            {
                return Unsupported(argumentSyntax, $"Passing '{output.Name}' to '{display}' both as the output '{invocation.TargetMethod.Parameters[i].Name}' and as another argument",
                    "pass a copy for one of them: the derivatives need the output's contents before the call apart from its inputs");
            }
        }
        return null;
    }

    /// <summary>
    /// ADIFF202 when <paramref name="callee"/>, a [Differentiable] method of another assembly, has no <c>FBackwardTangent</c>:
    /// the caller's forward-over-reverse code would call it, and would not compile.
    /// </summary>
    /// <param name="callee">The method called.</param>
    /// <param name="call">The call.</param>
    /// <param name="calledName">The name the generated code calls it by, when not its own (a struct-taking method's scalarised form).</param>
    private void CheckSecondOrder(IMethodSymbol callee, IOperation call, string? calledName = null)
    {
        var name = (calledName ?? callee.Name) + DerivativeKind.BackwardTangent.Suffix();
        if (callee.ContainingType.GetMembers(name).OfType<IMethodSymbol>().Any(m => m.IsStatic == callee.IsStatic)) return;
        calleesWithoutSecondOrder.Add((callee.ContainingType.Name + "." + callee.Name, callee.ContainingAssembly?.Name ?? "its assembly", Loc(call.Syntax)));
    }

    /// <summary>ADIFF003 for a method of this compilation (mark it [Differentiable]); ADIFF008 for one of another
    /// assembly (give it rules through a forwarder, whose skeleton the diagnostic carries).</summary>
    private Hazard CallWithoutDerivative(IInvocationOperation invocation, IMethodSymbol method, bool isMath, string display,
        List<IrExpr> arguments, IrType type, List<IrType?> parameterTypes)
    {
        var location = Loc(invocation.Syntax);
        var argumentLocations = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => (Location?)Loc(a.Value.Syntax)).ToList();
        if (method.DeclaringSyntaxReferences.Length > 0 && !isMath)
        {
            var declaration = method.Locations.FirstOrDefault(l => l.IsInSource);
            var advice = $"mark '{method.Name}' [Differentiable] (it is in this compilation; the additional location is its declaration)";
            return new Hazard(HazardKind.CallWithoutDerivative, arguments, argumentLocations,
                properties => Diagnostic.Create(DiagnosticDescriptors.CallWithoutDerivative, location,
                    declaration is null ? null : new[] { declaration }, properties, display, advice))
            {
                Summary = $"the call to '{display}' has no derivative: mark '{method.Name}' [Differentiable]",
            };
        }
        var containing = method.ContainingType;
        var forwarderType = containing.Name;
        // A Math function with a rule for another overload (Math.Round(x) has one, Math.Round(x, 2) not) is named with its parameters.
        var known = isMath ? RuleArities(method.Name) : new List<int>();
        var unknown = known.Count > 0
            ? $"{Overload(method)} (its rule is for {forwarderType}.{method.Name} with {string.Join(" or ", known.Select(n => n == 1 ? "1 argument" : $"{n} arguments"))})"
            : $"{forwarderType}.{method.Name}";
        var externalAdvice = (isMath ? $"AutoDiff has no rule for {unknown}; write the formula with supported functions, or " : "")
            + $"give it rules with a [CustomDerivative(typeof({forwarderType}), nameof({forwarderType}.{method.Name}))] forwarder in this type"
            + (isMath ? "" : ", or write the formula in a [Differentiable] method of your own");
        var stub = new IrMethod(TypeMapping.Identifier(method.Name), type,
            method.Parameters.Select((p, i) => new IrParameter(TypeMapping.Identifier(p.Name), parameterTypes[i]!)).ToEquatableArray(),
            IrBlock.Empty);
        var assembly = containing.ContainingAssembly?.Name ?? "another assembly";
        return new Hazard(HazardKind.CallWithoutDerivative, arguments, argumentLocations,
            properties => Diagnostic.Create(DiagnosticDescriptors.ExternalCallWithoutDerivative, location, properties, display, assembly, externalAdvice))
        {
            Summary = $"the call to '{display}' has no derivative: {externalAdvice}",
            Forwarder = new ForwarderStub(stub, TypeMapping.FullyQualified(containing), method.Name),
        };
    }

    /// <summary>For a virtual, interface or delegate call, which of them it is; null for a call with a fixed target.</summary>
    private static string? DispatchKind(IMethodSymbol method)
    {
        if (method.MethodKind == MethodKind.DelegateInvoke) return "delegate";
        if (method.IsStatic) return method.IsAbstract || method.IsVirtual ? "static abstract interface" : null;
        if (method.ContainingType.TypeKind == TypeKind.Interface) return "interface";
        if (method.IsVirtual || method.IsAbstract || method.IsOverride) return "virtual";
        return null;
    }

    /// <summary>What a call into the console, random numbers, files, the network or the clock does; null for other calls.</summary>
    private static string? SideEffectOf(IMethodSymbol method)
    {
        var type = method.ContainingType?.ToDisplayString() ?? "";
        var ns = method.ContainingType?.ContainingNamespace?.ToDisplayString() ?? "";
        if (type == "System.Console") return "writes to or reads from the console";
        if (type == "System.Random") return "draws random numbers, and the derivatives would draw different ones";
        if (type is "System.Diagnostics.Debug" or "System.Diagnostics.Trace") return "writes trace output";
        if (ns == "System.IO" || ns.StartsWith("System.IO.", System.StringComparison.Ordinal)) return "does file or stream I/O";
        if (ns == "System.Net" || ns.StartsWith("System.Net.", System.StringComparison.Ordinal)) return "does network I/O";
        if (type is "System.Diagnostics.Stopwatch" or "System.Environment") return "reads the clock or the process's environment";
        return null;
    }

    /// <summary>Where a function has no derivative, and what the generated code uses there.</summary>
    private static (string Where, string Convention)? NonDifferentiablePoints(MathFunction function) => function switch
    {
        MathFunction.Abs => ("at 0", "0 (the subgradient in the middle)"),
        MathFunction.Max => ("where its arguments are equal", "the derivative of the first argument"),
        MathFunction.Min => ("where its arguments are equal", "the derivative of the first argument"),
        MathFunction.Clamp => ("where the value equals a bound", "the value's derivative (the bounds count as inside)"),
        MathFunction.Sqrt => ("at 0, where it is infinite", "the formula 1/(2·√x), which gives an infinite derivative at 0 (NaN when the incoming derivative is 0)"),
        MathFunction.Cbrt => ("at 0, where it is infinite", "the formula 1/(3·∛x²), which gives an infinite derivative at 0 (NaN when the incoming derivative is 0)"),
        MathFunction.Asin => ("at −1 and 1, where it is infinite", "the formula 1/√(1 − x²), which gives an infinite derivative there"),
        MathFunction.Acos => ("at −1 and 1, where it is infinite", "the formula −1/√(1 − x²), which gives an infinite derivative there"),
        MathFunction.Atan2 => ("at the origin (0, 0)", "the formulas x/(x² + y²) and −y/(x² + y²), which give NaN there"),
        MathFunction.Pow => ("with respect to its exponent where the base is 0 or negative (ln x is undefined there)", "0 for the exponent's derivative there"),
        _ => null,
    };

    /// <summary>The numbers of arguments for which <c>Math.<paramref name="name"/></c> has a rule (none for an unknown function).</summary>
    private static List<int> RuleArities(string name) => Enumerable.Range(1, 3).Where(n => MathFunctionOf(name, n) is not null).ToList();

    /// <summary>A method with its parameters' types, as C# error messages show them: <c>Math.Round(double, int)</c>.</summary>
    private static string Overload(IMethodSymbol method)
        => $"{method.ContainingType.Name}.{method.Name}({string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)))})";

    private static MathFunction? MathFunctionOf(string name, int arity) => (name, arity) switch
    {
        ("Exp", 1) => MathFunction.Exp,
        ("Log", 1) => MathFunction.Log,
        ("Log", 2) => MathFunction.LogBase,
        ("Log10", 1) => MathFunction.Log10,
        ("Log2", 1) => MathFunction.Log2,
        ("Sqrt", 1) => MathFunction.Sqrt,
        ("Cbrt", 1) => MathFunction.Cbrt,
        ("Pow", 2) => MathFunction.Pow,
        ("Sin", 1) => MathFunction.Sin,
        ("Cos", 1) => MathFunction.Cos,
        ("Tan", 1) => MathFunction.Tan,
        ("Asin", 1) => MathFunction.Asin,
        ("Acos", 1) => MathFunction.Acos,
        ("Atan", 1) => MathFunction.Atan,
        ("Atan2", 2) => MathFunction.Atan2,
        ("Sinh", 1) => MathFunction.Sinh,
        ("Cosh", 1) => MathFunction.Cosh,
        ("Tanh", 1) => MathFunction.Tanh,
        ("Abs", 1) => MathFunction.Abs,
        ("Max", 2) => MathFunction.Max,
        ("Min", 2) => MathFunction.Min,
        ("Clamp", 3) => MathFunction.Clamp,
        ("Floor", 1) => MathFunction.Floor,
        ("Ceiling", 1) => MathFunction.Ceiling,
        ("Round", 1) => MathFunction.Round,
        ("Truncate", 1) => MathFunction.Truncate,
        ("Sign", 1) => MathFunction.Sign,
        _ => null,
    };

    /// <summary>A name no parameter or local uses, for a local lowering introduces.</summary>
    private string FreshName(string baseName)
    {
        var name = baseName;
        for (int i = 2; !usedNames.Add(name); i++) name = baseName + "_" + i;
        return name;
    }

    private string UniqueName(ILocalSymbol local)
    {
        if (localNames.TryGetValue(local, out var name)) return name;
        var baseName = TypeMapping.Identifier(local.Name);
        name = baseName;
        for (int i = 2; !usedNames.Add(name); i++) name = baseName + "_" + i;
        localNames[local] = name;
        return name;
    }

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
