using System.Collections.Generic;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.IR;
using Microsoft.CodeAnalysis;
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
            case ILocalReferenceOperation local when ViewOf(local.Local) is { } view:
                return view;
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
                return LowerExpr(lengthOf) switch
                {
                    IrVariable sequenceVariable => new IrLength(sequenceVariable),
                    IrSlice view => view.Length,
                    _ => Unsupported(operation, $"The length of '{lengthOf.Syntax}'", "take the length of a parameter or local"),
                };
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
        if (loweredSequence is IrSlice view) return ElementOfView(type, view, LowerExpr(index));
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
}
