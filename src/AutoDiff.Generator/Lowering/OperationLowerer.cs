using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generator.Lowering;

/// <summary>
/// Lowers a method body's <see cref="IOperation"/> tree (overloads, implicit conversions and constants already
/// resolved by Roslyn) to IR. Anything it does not support becomes a located <see cref="Diagnostic"/>; lowering
/// goes on past it so that one build reports every problem.
/// </summary>
internal sealed class OperationLowerer
{
    private readonly List<Diagnostic> diagnostics;
    private readonly List<Hazard> hazards;
    private readonly Dictionary<ISymbol, string> localNames = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> usedNames;

    /// <summary>How many if-branches and loops enclose the statement being lowered.</summary>
    private int nesting;

    /// <summary>True when lowering a hand-written pullback rule, which writes its ref adjoints.</summary>
    public bool AllowRefParameterWrites { get; set; }

    public OperationLowerer(IEnumerable<string> parameterNames, List<Diagnostic> diagnostics, List<Hazard> hazards)
    {
        this.diagnostics = diagnostics;
        this.hazards = hazards;
        usedNames = new HashSet<string>(parameterNames);
    }

    public IrBlock LowerBody(IOperation body)
    {
        var statements = new List<IrStatement>();
        LowerStatement(body, statements);
        return statements.Count == 1 && statements[0] is IrBlock block ? block : new IrBlock(statements.ToEquatableArray());
    }

    private void LowerStatement(IOperation operation, List<IrStatement> output)
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
                output.Add(new IrReturn(ret.ReturnedValue is { } value ? LowerExpr(value) : null));
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
                output.Add(new IrLoop(LowerExpr(whileLoop.Condition), Flatten(body), IrBlock.Empty, whileLoop.ConditionIsTop));
                break;
            }
            case IForEachLoopOperation forEach:
                LowerForEach(forEach, output);
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
        if (sequence is not IrVariable { Type.IsSequence: true, Type.IsMatrix: false } array
            || forEach.LoopControlVariable is not IVariableDeclaratorOperation declarator
            || TypeMapping.ToIr(declarator.Symbol.Type) is not { Shape: TypeShape.Scalar } elementType)
        {
            Unsupported(forEach, "This 'foreach' loop", "loop with foreach over an array or span parameter or local of numbers");
            return;
        }
        var index = Ir.Var(IrType.Int32, FreshName(declarator.Symbol.Name + "_index"));
        output.Add(new IrDeclare(IrType.Int32, index.Name, Ir.Lit(IrType.Int32, 0)));
        nesting++;
        var body = new List<IrStatement>
        {
            new IrDeclare(elementType, UniqueName(declarator.Symbol), Ir.Convert(elementType, new IrElement(array.Type.Element, array, index))),
        };
        LowerStatement(forEach.Body, body);
        nesting--;
        output.Add(new IrLoop(Ir.Compare(BinaryOp.Less, index, new IrLength(array)), new IrBlock(body.ToEquatableArray()),
            IrBlock.Of(Ir.Assign(index.Name, new IrBinary(IrType.Int32, BinaryOp.Add, index, Ir.Lit(IrType.Int32, 1))))));
    }

    private static IrBlock Flatten(List<IrStatement> statements)
        => statements.Count == 1 && statements[0] is IrBlock block ? block : new IrBlock(statements.ToEquatableArray());

    private void LowerDeclarator(IVariableDeclaratorOperation declarator, IOperation? initializer, List<IrStatement> output)
    {
        var local = declarator.Symbol;
        // A const local's uses arrive as literals (Roslyn folds them); declaring it again would leave an unused local.
        if (local.IsConst) return;
        var type = TypeMapping.ToIr(local.Type);
        if (type is null)
        {
            Unsupported(declarator, $"A local of type '{local.Type.ToDisplayString()}'", "use double, float, int, long or bool locals");
            return;
        }
        if (local.IsRef)
        {
            Unsupported(declarator, "A ref local", "use an ordinary local");
            return;
        }
        var name = UniqueName(local);
        var value = initializer is null ? null : StackAlloc(initializer, type) ?? LowerExpr(initializer);
        if (type.IsSequence && (nesting > 0 || value is not IrNewArray))
        {
            Unsupported(declarator, $"The array '{local.Name}' declared here",
                "declare local arrays at the top of the method body, initialised with new T[length]");
            return;
        }
        output.Add(new IrDeclare(type, name, value));
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
        // A method writes its results into Span<T> parameters (its outputs); other parameters are inputs.
        if (!localNames.Values.Contains(element.Sequence.Name) && element.Sequence.Type.Shape != TypeShape.Span)
        {
            Unsupported(target, $"A write into the elements of the parameter '{element.Sequence.Name}'",
                "arrays and read-only spans are inputs: copy into a local array (new T[n]) and write there, or take the results in a Span<T> parameter");
        }
        return element;
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
                Unsupported(target, $"A write to the field '{field.Field.Name}'",
                    "a differentiated method must not change state outside it; compute into a local and return it");
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

        switch (operation)
        {
            case ILocalReferenceOperation local when type is not null:
                return Ir.Var(type, UniqueName(local.Local));
            case IParameterReferenceOperation parameter when type is not null:
                return Ir.Var(type, TypeMapping.Identifier(parameter.Parameter.Name));
            case IFieldReferenceOperation { Field.IsStatic: true } field when type is not null:
                return new IrStaticField(type, TypeMapping.FullyQualified(field.Field.ContainingType), field.Field.Name);
            case IBinaryOperation binary when type is not null:
                return LowerBinary(binary, type);
            case IUnaryOperation unary when type is not null:
                return LowerUnary(unary, type);
            case IConversionOperation conversion when type is not null:
                return LowerConversion(conversion, type);
            case IConditionalOperation conditional when type is not null && conditional.WhenFalse is not null:
                return new IrConditional(type, LowerExpr(conditional.Condition), LowerExpr(conditional.WhenTrue), LowerExpr(conditional.WhenFalse));
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
        return new IrBinary(type, op.Value, LowerExpr(binary.LeftOperand), LowerExpr(binary.RightOperand));
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
            hazards.Add(new Hazard(HazardKind.IntegerCast, EquatableArray.Of(operand), conversion.Syntax.GetLocation(), conversion.Operand.Syntax.ToString(), type.Keyword));
        }
        return new IrConvert(type, operand);
    }

    private IrExpr LowerInvocation(IInvocationOperation invocation, bool resultUsed)
    {
        var method = invocation.TargetMethod;
        var display = $"{method.ContainingType.Name}.{method.Name}";
        var arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).ToList();
        if (arguments.Any(a => a.ArgumentKind == Microsoft.CodeAnalysis.Operations.ArgumentKind.ParamArray || a.Parameter?.RefKind != RefKind.None))
        {
            return Unsupported(invocation, $"The call to '{display}' with ref, out, in or params arguments", "pass plain values");
        }
        var type = TypeMapping.ToIr(invocation.Type);
        if (type is null)
        {
            return Unsupported(invocation, $"The call to '{display}', which returns '{invocation.Type?.ToDisplayString() ?? "void"}',", "call methods that return double, float, int, long or bool");
        }
        var loweredArguments = arguments.Select(a => LowerExpr(a.Value)).ToList();
        if (loweredArguments.Any(a => a.Type.IsSequence && a is not IrVariable))
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
            if (Differentiation.DerivativeRules.IsPiecewiseConstant(function))
            {
                hazards.Add(new Hazard(HazardKind.PiecewiseConstant, call.Arguments,
                    invocation.Syntax.GetLocation(), display, invocation.Syntax.ToString()));
            }
            return call;
        }

        if (method.MethodKind == MethodKind.LocalFunction)
        {
            return Unsupported(invocation, $"The call to the local function '{method.Name}'", "move it into a static [Differentiable] method of the type");
        }
        if (!method.IsStatic || method.IsGenericMethod || containing.IsGenericType && !isMath)
        {
            var why = !method.IsStatic ? "instance, virtual and interface calls" : "calls to generic methods";
            return Unsupported(invocation, $"The call to '{display}'", $"{why} are not supported yet; call a static, non-generic method");
        }
        var parameterTypes = method.Parameters.Select(p => TypeMapping.ToIr(p.Type)).ToList();
        if (parameterTypes.Any(t => t is null))
        {
            return Unsupported(invocation, $"The call to '{display}'", "its parameters must be double, float, int, long or bool");
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
        var parameters = method.Parameters.Select((p, i) => new IrParameter(TypeMapping.Identifier(p.Name), parameterTypes[i]!) { NoDerivative = TypeMapping.HasNoDerivative(p) });
        var reference = new IrMethodRef(TypeMapping.FullyQualified(containing), method.Name, differentiable, parameters.ToEquatableArray());
        var irCall = new IrCall(type, reference, loweredArguments.Select(a => new IrArgument(a)).ToEquatableArray());
        // Only a floating-point result can carry a derivative: a call returning bool or int (double.IsNaN(x))
        // is fine on differentiated arguments, and so is a call whose result is discarded.
        if (!differentiable && resultUsed && type.IsFloatingPoint)
        {
            bool inSource = method.DeclaringSyntaxReferences.Length > 0 && !isMath;
            var advice = inSource
                ? $"mark '{method.Name}' [Differentiable] (it is in this compilation)"
                : isMath
                    ? $"AutoDiff has no rule for Math.{method.Name}; write the formula with supported functions, or give it rules with a [CustomDerivative(typeof(Math), \"{method.Name}\")] forwarder"
                    : $"'{method.Name}' is in another assembly; give it rules with a [CustomDerivative(typeof({containing.Name}), \"{method.Name}\")] forwarder, or write the formula in a [Differentiable] method of your own";
            hazards.Add(new Hazard(HazardKind.CallWithoutDerivative, loweredArguments.ToEquatableArray(), invocation.Syntax.GetLocation(), display, advice));
        }
        return irCall;
    }

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
        diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedConstruct, operation.Syntax.GetLocation(), what, advice));
        return Ir.Lit(TypeMapping.ToIr(operation.Type) ?? IrType.Double, 0);
    }

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
        ILocalFunctionOperation => "A local function",
        IAnonymousFunctionOperation => "A lambda",
        _ => $"'{Shorten(operation.Syntax.ToString())}'",
    };

    private static string StatementAdvice(IOperation operation) => operation switch
    {
        ILoopOperation => "use for, while and do loops over numbers (foreach needs arrays, which are not supported yet)",
        ITryOperation or IThrowOperation => "validate inputs before calling the method, and keep exceptions out of it",
        ILocalFunctionOperation or IAnonymousFunctionOperation => "move the code into a static [Differentiable] method",
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
        IAnonymousFunctionOperation => "A lambda",
        IThrowOperation => "A 'throw' expression",
        _ => $"'{Shorten(operation.Syntax.ToString())}'",
    };

    private static string ExpressionAdvice(IOperation operation) => operation switch
    {
        ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation => "write the assignment as a statement of its own",
        IPropertyReferenceOperation or IFieldReferenceOperation => "pass the value in as a parameter",
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
