using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.IR;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generator.Lowering;

/// <summary>Lowering of statements: declarations, assignments, element writes, ifs, loops, returns and expression statements.</summary>
internal sealed partial class OperationLowerer
{
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
        // foreach over a span local: over the elements it views.
        var view = sequence as IrSlice;
        if ((view?.Sequence ?? sequence) is not IrVariable { Type.IsSequence: true } array
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
            new IrDeclare(elementType, UniqueName(declarator.Symbol),
                Ir.Convert(elementType, view is null ? FlatElement(array, index) : ElementOfView(array.Type.Element, view, index))),
        };
        LowerStatement(forEach.Body, body);
        nesting--;
        output.Add(view is null
            ? OverAllElements(array, index, new IrBlock(body.ToEquatableArray()))
            : new IrLoop(Ir.Compare(BinaryOp.Less, index, view.Length), new IrBlock(body.ToEquatableArray()),
                IrBlock.Of(Ir.Assign(index.Name, new IrBinary(IrType.Int32, BinaryOp.Add, index, Ir.Lit(IrType.Int32, 1))))));
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
        if (type.Shape is TypeShape.Span or TypeShape.ReadOnlySpan && initializer is not null && !IsStackAlloc(initializer))
        {
            // var c = cam.Slice(3, 3): a view, not a local of its own (see DeclareView).
            DeclareView(declarator, local, type, initializer, output);
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
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation viewLocal } assignment when ViewOf(viewLocal.Local) is not null:
                AssignView(assignment, viewLocal.Local, output);
                break;
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
            case ILocalReferenceOperation local when ViewOf(local.Local) is not null:
                Unsupported(target, $"The assignment to the span '{target.Syntax}' inside an expression", "assign a span local in a statement of its own");
                return null;
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
}
