using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generator.Lowering;

/// <summary>
/// Lowering of struct values (user structs, System.Numerics vectors, Complex): scalar replacement of aggregates. A struct
/// local becomes one local per number; an array of structs a flat array of numbers; a constructor, an operator or a
/// method returning a struct one expression per number (BCL formulas, or the user's single-expression body inlined).
/// The differentiation passes then see only numbers.
/// </summary>
internal sealed partial class OperationLowerer
{
    private readonly Dictionary<ISymbol, StructPlace> structVariables = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, (StructModel Model, IrVariable Flat)> structArrays = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IParameterSymbol, object> inlineArguments = new(SymbolEqualityComparer.Default);
    private readonly HashSet<IMethodSymbol> inlining = new(SymbolEqualityComparer.Default);
    private StructValue? inlineThis;
    private Location? inlineSite;
    private string? inlineName;

    /// <summary>Where lowered expressions may put the temporaries they need; null where they must not (a loop
    /// condition, a branch of <c>?:</c>), which then repeats the expression instead.</summary>
    private List<IrStatement>? pending;

    /// <summary>The type whose code this is: struct members must be accessible from it.</summary>
    public INamedTypeSymbol? Within { get; set; }

    /// <summary>Declares a struct parameter, scalarised into the given leaf parameters.</summary>
    public void BindStructParameter(IParameterSymbol parameter, StructModel model, IReadOnlyList<string> leafParameters)
        => structVariables[parameter] = new StructPlace(model, leafParameters);

    private StructPlace? thisPlace;
    private (StructModel Model, IrVariable Span)? structResult;

    /// <summary>For a method that returns a struct: each <c>return</c> writes the struct's numbers into <paramref name="span"/>.</summary>
    public void BindStructResult(StructModel model, IrVariable span) => structResult = (model, span);

    /// <summary><c>return value;</c> in a method that returns a struct: the numbers into the result span, then return.</summary>
    private bool LowerStructReturn(IReturnOperation ret, List<IrStatement> output)
    {
        if (structResult is not { } result || ret.ReturnedValue is not { } returned) return false;
        var value = LowerStruct(returned, result.Model);
        for (int i = 0; i < value.Leaves.Count; i++)
        {
            output.Add(new IrAssignElement(result.Span.Name, Ir.Lit(IrType.Int32, i), Ir.Convert(result.Span.Type.Element, value.Leaves[i])));
        }
        output.Add(new IrReturn(null));
        return true;
    }

    /// <summary>Declares the struct an instance method of a struct is called on, scalarised into the given leaf parameters.</summary>
    public void BindThis(StructModel model, IReadOnlyList<string> leafParameters) => thisPlace = new StructPlace(model, leafParameters);

    /// <summary>Declares an array-of-structs parameter, read as the flat span <paramref name="flat"/>.</summary>
    public void BindStructArrayParameter(IParameterSymbol parameter, StructModel model, IrVariable flat)
        => structArrays[parameter] = (model, flat);

    private Location Loc(SyntaxNode node) => inlineSite ?? node.GetLocation();

    private string InlinePrefix => inlineName is null ? "" : $"In '{inlineName}' (inlined here): ";

    private readonly Dictionary<ITypeSymbol, StructModel?> models = new(SymbolEqualityComparer.Default);

    private StructModel? ModelOf(ITypeSymbol? type)
    {
        if (type is null || !StructLayout.IsCandidate(type)) return null;
        if (!models.TryGetValue(type, out var model)) models[type] = model = StructLayout.Of(type, Within, out _);
        return model;
    }

    /// <summary>Keeps a compound expression in a temporary when it is about to be read more than once.</summary>
    private IrExpr Bind(IrExpr expr)
    {
        if (Ir.IsAtom(expr) || pending is null) return expr;
        var name = FreshName("_s");
        pending.Add(new IrDeclare(expr.Type, name, expr));
        return Ir.Var(expr.Type, name);
    }

    private StructValue Bind(StructValue value) => new(value.Model, value.Leaves.Select(Bind).ToList());

    private StructValue Zeros(StructModel model) => new(model, model.Leaves.Select(l => (IrExpr)Ir.Lit(l.Type, 0)).ToList());

    /// <summary>A struct value the method cannot lower: reported, and zeros so lowering can go on.</summary>
    private StructValue UnsupportedStruct(IOperation operation, StructModel model, string what, string advice)
    {
        Unsupported(operation, what, advice);
        return Zeros(model);
    }

    /// <summary>Lowers an expression whose type is a differentiable struct.</summary>
    private StructValue LowerStruct(IOperation operation, StructModel model)
    {
        switch (operation)
        {
            case IParenthesizedOperation parenthesized:
                return LowerStruct(parenthesized.Operand, model);
            case IConversionOperation { OperatorMethod: null } identity when SymbolEqualityComparer.Default.Equals(identity.Operand.Type, identity.Type):
                return LowerStruct(identity.Operand, model);
            // A tuple given other element names ((double p, double q) t = (a, b); t = (y, x)), or a tuple literal whose
            // elements convert ((double, double) t = (1, x)): the same leaves in the same order, each converted below.
            case IConversionOperation { OperatorMethod: null, Operand.Type.IsTupleType: true } renamed when renamed.Conversion.IsIdentity:
                return LowerStruct(renamed.Operand, model);
            case IConversionOperation { OperatorMethod: null, Operand: ITupleOperation literal, Conversion.IsImplicit: true }:
                return LowerStruct(literal, model);
            case IConversionOperation { OperatorMethod: { } implicitComplex } complex when model.DisplayName == "Complex" && IsNumerics(implicitComplex.ContainingType)
                    && TypeMapping.ToIr(complex.Operand.Type) is { IsFloatingPoint: true } or { IsInteger: true }:
                return new StructValue(model, new[] { Ir.Convert(IrType.Double, LowerExpr(complex.Operand)), Ir.Lit(IrType.Double, 0) });
            case ILocalReferenceOperation local when structVariables.TryGetValue(local.Local, out var localPlace):
                return localPlace.Value;
            case IParameterReferenceOperation parameter when inlineArguments.TryGetValue(parameter.Parameter, out var bound) && bound is StructValue boundValue:
                return boundValue;
            case IParameterReferenceOperation parameter when structVariables.TryGetValue(parameter.Parameter, out var parameterPlace):
                return parameterPlace.Value;
            case IInstanceReferenceOperation when inlineThis is not null:
                return inlineThis;
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } when thisPlace is not null:
                return thisPlace.Value;
            case IDefaultValueOperation:
                return Zeros(model);
            // A static field or property, or a member of the method's own object (a class): a constant, read number by number.
            case IFieldReferenceOperation { Field.IsStatic: true, Field: var staticField }:
                return ConstantStruct(model, TypeMapping.FullyQualified(staticField.ContainingType), TypeMapping.Identifier(staticField.Name));
            case IPropertyReferenceOperation { Property: { IsStatic: true, IsIndexer: false } staticProperty } when !IsNumerics(staticProperty.ContainingType):
                return ConstantStruct(model, TypeMapping.FullyQualified(staticProperty.ContainingType), TypeMapping.Identifier(staticProperty.Name));
            case IMemberReferenceOperation { Instance: { } own, Member: IFieldSymbol or IPropertySymbol { IsIndexer: false } } ownMember when IsOwnClassInstance(own):
                return ConstantStruct(model, IrStaticField.This, TypeMapping.Identifier(ownMember.Member.Name));
            case IFieldReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: false }
                when ((IMemberReferenceOperation)operation).Instance is { } instance && ModelOf(instance.Type) is { } outer:
            {
                var member = ((IMemberReferenceOperation)operation).Member;
                var owner = LowerStruct(instance, outer);
                var leaves = owner.Member(MemberName(member, instance.Type));
                if (leaves.Count > 0) return new StructValue(model, leaves);
                if (member is IPropertySymbol property && property.GetMethod is { } getter)
                {
                    return InlineCall(operation, getter, owner, System.Array.Empty<IOperation>()) as StructValue ?? Zeros(model);
                }
                return UnsupportedStruct(operation, model, $"{InlinePrefix}The member '{member.Name}'", "read the struct's fields");
            }
            case IPropertyReferenceOperation { Instance: null, Property: { IsStatic: true } staticProperty } when IsNumerics(staticProperty.ContainingType):
                return KnownConstant(operation, staticProperty.Name, model);
            case IArrayElementReferenceOperation { Indices.Length: 1 } element when ArrayOfStructs(element.ArrayReference) is { } flat:
                return ElementPlace(flat.Model, flat.Flat, LowerExpr(element.Indices[0])).Value;
            case IObjectCreationOperation creation:
                return LowerCreation(creation, model);
            case IWithOperation with:
            {
                var value = LowerStruct(with.Operand, model).Leaves.ToList();
                ApplyInitializer(with.Initializer, model, value);
                return new StructValue(model, value);
            }
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
            {
                var condition = LowerExpr(conditional.Condition);
                var saved = pending;
                pending = null;
                var whenTrue = LowerStruct(conditional.WhenTrue, model);
                var otherwise = LowerStruct(whenFalse, model);
                pending = saved;
                return new StructValue(model, whenTrue.Leaves.Select((t, i) => (IrExpr)new IrConditional(t.Type, condition, t, otherwise.Leaves[i])).ToList());
            }
            case IBinaryOperation { OperatorMethod: { } binaryOperator } binary:
                return LowerStructCall(operation, binaryOperator, null, new[] { binary.LeftOperand, binary.RightOperand }, model);
            case IUnaryOperation { OperatorMethod: { } unaryOperator } unary:
                return LowerStructCall(operation, unaryOperator, null, new[] { unary.Operand }, model);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Plus } plus:
                return LowerStruct(plus.Operand, model);
            case IInvocationOperation nested when GeneratedDerivative(nested.TargetMethod) is not null:
                return LowerNestedDerivative(nested) as StructValue ?? Zeros(model);
            case ITupleOperation tuple when tuple.Elements.Length == model.Members.Count:
            {
                var leaves = new List<IrExpr>();
                for (int i = 0; i < tuple.Elements.Length; i++)
                {
                    var member = model.Members[i];
                    if (member.Struct is { } nestedModel) leaves.AddRange(LowerStruct(tuple.Elements[i], nestedModel).Leaves);
                    else leaves.Add(Ir.Convert(member.Scalar!, LowerExpr(tuple.Elements[i])));
                }
                return new StructValue(model, leaves);
            }
            case IInvocationOperation invocation:
                return LowerStructCall(operation, invocation.TargetMethod, invocation.Instance,
                    invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList(), model);
        }
        // A number where a complex number is expected (returned from a method that returns Complex).
        if (model.DisplayName == "Complex" && !model.IsTuple && TypeMapping.ToIr(operation.Type) is { Shape: TypeShape.Scalar, IsVoid: false } real && (real.IsFloatingPoint || real.IsInteger))
            return new StructValue(model, new[] { Ir.Convert(IrType.Double, LowerExpr(operation)), Ir.Lit(IrType.Double, 0) });
        return UnsupportedStruct(operation, model, $"{InlinePrefix}The {model.DisplayName} value '{Shorten(operation.Syntax.ToString())}'",
            "build struct values from locals, parameters, fields, constructors, with-expressions, operators and single-expression methods");
    }

    private static StructValue ConstantStruct(StructModel model, string containingType, string member)
        => new(model, model.Leaves.Select(l => (IrExpr)new IrStaticField(l.Type, containingType, member + "." + l.Path)).ToList());

    /// <summary>A member's name in its struct's model; a tuple element read as <c>Item2</c> gets its element's name.</summary>
    private static string MemberName(ISymbol member, ITypeSymbol? owner)
    {
        if (owner is INamedTypeSymbol { IsTupleType: true } tuple && member is IFieldSymbol field)
        {
            var underlying = field.CorrespondingTupleField ?? field;
            foreach (var element in tuple.TupleElements)
            {
                if (SymbolEqualityComparer.Default.Equals(element.CorrespondingTupleField ?? element, underlying)) return TypeMapping.Identifier(element.Name);
            }
        }
        return TypeMapping.Identifier(member.Name);
    }

    private static bool IsNumerics(INamedTypeSymbol? type) => type?.ContainingNamespace?.ToDisplayString() == "System.Numerics";

    private (StructModel Model, IrVariable Flat)? ArrayOfStructs(IOperation operation)
    {
        if (operation is IConversionOperation { IsImplicit: true } conversion) operation = conversion.Operand;
        return operation switch
        {
            ILocalReferenceOperation local when structArrays.TryGetValue(local.Local, out var l) => l,
            IParameterReferenceOperation parameter when structArrays.TryGetValue(parameter.Parameter, out var p) => p,
            _ => null,
        };
    }

    private StructPlace ElementPlace(StructModel model, IrVariable flat, IrExpr index)
    {
        int size = model.Leaves.Count;
        var first = size == 1 ? index : Ir.Mul(Bind(index), Ir.Lit(IrType.Int32, size));
        return new StructPlace(model, flat, Bind(first));
    }

    private StructValue KnownConstant(IOperation operation, string name, StructModel model)
    {
        int n = model.Leaves.Count;
        var type = model.Leaves[0].Type;
        double[]? values = name switch
        {
            "Zero" => new double[n],
            "One" => Enumerable.Repeat(1.0, n).ToArray(),
            "UnitX" => Enumerable.Range(0, n).Select(i => i == 0 ? 1.0 : 0).ToArray(),
            "UnitY" => Enumerable.Range(0, n).Select(i => i == 1 ? 1.0 : 0).ToArray(),
            "UnitZ" => Enumerable.Range(0, n).Select(i => i == 2 ? 1.0 : 0).ToArray(),
            "UnitW" => Enumerable.Range(0, n).Select(i => i == 3 ? 1.0 : 0).ToArray(),
            "ImaginaryOne" => new[] { 0.0, 1.0 },
            _ => null,
        };
        if (values is null || values.Length != n) return UnsupportedStruct(operation, model, $"The property '{name}'", "build the value with a constructor");
        return new StructValue(model, values.Select(v => (IrExpr)Ir.Lit(type, v)).ToList());
    }

    /// <summary><c>new S(...)</c>, <c>new S { ... }</c>, <c>new S()</c>.</summary>
    private StructValue LowerCreation(IObjectCreationOperation creation, StructModel model)
    {
        List<IrExpr> leaves;
        var constructor = creation.Constructor;
        var arguments = creation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList();
        if (constructor is null || arguments.Count == 0)
        {
            leaves = Zeros(model).Leaves.ToList();
        }
        else if (IsNumerics(constructor.ContainingType))
        {
            leaves = KnownConstructor(creation, model, arguments);
        }
        else if (StructLayout.ConstructorAssignments(constructor) is { } assignments)
        {
            // Members the constructor does not set are zero; the others get their arguments.
            leaves = Zeros(model).Leaves.ToList();
            var byName = constructor.Parameters.Select((p, i) => (p.Name, Value: arguments[i])).ToDictionary(p => p.Name, p => p.Value);
            foreach (var member in model.Members)
            {
                var name = member.Name.TrimStart('@');
                if (!assignments.TryGetValue(name, out var parameter) || !byName.TryGetValue(parameter, out var argument)) continue;
                Store(leaves, model, member, argument);
            }
        }
        else
        {
            return UnsupportedStruct(creation, model, $"{InlinePrefix}The constructor '{constructor.ToDisplayString()}'",
                "AutoDiff follows constructors that only assign their parameters to members (X = x;); set other members with an object initializer");
        }
        if (creation.Initializer is { } initializer) ApplyInitializer(initializer, model, leaves);
        return new StructValue(model, leaves);
    }

    private List<IrExpr> KnownConstructor(IOperation creation, StructModel model, List<IOperation> arguments)
    {
        var type = model.Leaves[0].Type;
        int n = model.Leaves.Count;
        var result = new List<IrExpr>();
        foreach (var argument in arguments)
        {
            if (ModelOf(argument.Type) is { } part) result.AddRange(LowerStruct(argument, part).Leaves);
            else result.Add(Ir.Convert(type, LowerExpr(argument)));
        }
        // new Vector3(s) broadcasts one number to every component.
        if (result.Count == 1 && n > 1)
        {
            var single = Bind(result[0]);
            return Enumerable.Repeat(single, n).ToList();
        }
        if (result.Count != n)
        {
            Unsupported(creation, $"The constructor call '{Shorten(creation.Syntax.ToString())}'", "pass one number per component");
            return Zeros(model).Leaves.ToList();
        }
        return result;
    }

    /// <summary>Sets a member (a number or a nested struct) in a list of leaves from an operation's value.</summary>
    private void Store(List<IrExpr> leaves, StructModel model, StructMember member, IOperation value)
    {
        var (start, count) = model.LeafRange(member.Name);
        if (member.Struct is { } nested)
        {
            var nestedValue = LowerStruct(value, nested);
            for (int i = 0; i < count; i++) leaves[start + i] = nestedValue.Leaves[i];
        }
        else
        {
            leaves[start] = Ir.Convert(member.Scalar!, LowerExpr(value));
        }
    }

    private void ApplyInitializer(IObjectOrCollectionInitializerOperation initializer, StructModel model, List<IrExpr> leaves)
    {
        foreach (var item in initializer.Initializers)
        {
            if (item is ISimpleAssignmentOperation { Target: IMemberReferenceOperation target } assignment
                && model.Members.FirstOrDefault(m => m.Name.TrimStart('@') == target.Member.Name) is { } member)
            {
                Store(leaves, model, member, assignment.Value);
            }
            else
            {
                Unsupported(item, $"{InlinePrefix}The initializer '{Shorten(item.Syntax.ToString())}'", "set the struct's fields and auto-properties");
            }
        }
    }

    /// <summary>An operator, a static method or an instance method of a struct, returning a struct.</summary>
    private StructValue LowerStructCall(IOperation operation, IMethodSymbol method, IOperation? instance, IReadOnlyList<IOperation> arguments, StructModel model)
    {
        if (IsNumerics(method.ContainingType))
        {
            var values = arguments.Select(LowerValue).ToList();
            var self = instance is null ? null : LowerValue(instance);
            if (self is not null) values.Insert(0, self);
            if (NumericsFormulas.Struct(method.Name, values, model, Bind, Bind) is { } known) return known;
            return UnsupportedStruct(operation, model, $"{InlinePrefix}'{method.ContainingType.Name}.{method.Name}'",
                "AutoDiff knows the arithmetic operators, Dot, Cross, Length, LengthSquared, Distance, DistanceSquared, Normalize, Lerp, Min, Max, Abs and SquareRoot of the vectors, and the arithmetic, Conjugate, Exp, Log, Sin, Cos and FromPolarCoordinates of Complex");
        }
        var ownerValue = instance is null ? null : ModelOf(instance.Type) is { } ownerModel ? LowerStruct(instance, ownerModel) : null;
        return InlineCall(operation, method, ownerValue, arguments) as StructValue ?? Zeros(model);
    }

    /// <summary>A scalar or a struct value, lowered as its type says.</summary>
    private object LowerValue(IOperation operation)
        => ModelOf(operation.Type) is { } model ? LowerStruct(operation, model) : LowerExpr(operation);

    /// <summary>
    /// Inlines a method (an operator, a property getter, a static or instance method) whose body is one expression:
    /// its parameters stand for the lowered arguments.
    /// </summary>
    private object? InlineCall(IOperation site, IMethodSymbol method, StructValue? self, IReadOnlyList<IOperation> arguments)
    {
        var display = method.MethodKind == MethodKind.PropertyGet ? method.AssociatedSymbol?.Name ?? method.Name : method.Name;
        var body = SingleExpressionBody(method);
        var semanticModel = body is null ? null : site.SemanticModel?.Compilation.GetSemanticModel(body.SyntaxTree);
        var operation = body is null ? null : semanticModel?.GetOperation(body);
        if (operation is null || inlining.Contains(method) || arguments.Count != method.Parameters.Length)
        {
            Unsupported(site, $"{InlinePrefix}The call to '{method.ContainingType.Name}.{display}'",
                inlining.Contains(method) ? "it calls itself; AutoDiff inlines struct-valued calls, so they cannot recurse"
                    : method.DeclaringSyntaxReferences.Length == 0 ? "AutoDiff inlines struct-valued calls and can only inline code of this compilation"
                    : "AutoDiff inlines calls that take or return structs: give it a single-expression body (=> ...)");
            return ModelOf(method.ReturnType) is { } zeroModel ? Zeros(zeroModel) : Ir.Lit(TypeMapping.ToIr(method.ReturnType) ?? IrType.Double, 0);
        }
        var values = arguments.Select(a => Bound(LowerValue(a))).ToList();
        var boundSelf = self is null ? null : Bind(self);

        var savedThis = inlineThis;
        var savedSite = inlineSite;
        var savedName = inlineName;
        var savedArguments = method.Parameters.Select(p => inlineArguments.TryGetValue(p, out var v) ? v : null).ToList();
        inlining.Add(method);
        inlineThis = boundSelf;
        inlineSite ??= site.Syntax.GetLocation();
        inlineName ??= $"{method.ContainingType.Name}.{display}";
        for (int i = 0; i < values.Count; i++) inlineArguments[method.Parameters[i]] = values[i];
        try
        {
            // The body's expression converts implicitly to the return type (a float formula returned as double).
            if (ModelOf(method.ReturnType) is { } returnModel) return LowerStruct(operation, returnModel);
            var value = LowerExpr(operation);
            return TypeMapping.ToIr(method.ReturnType) is { Shape: TypeShape.Scalar } returnType ? Ir.Convert(returnType, value) : value;
        }
        finally
        {
            inlining.Remove(method);
            inlineThis = savedThis;
            inlineSite = savedSite;
            inlineName = savedName;
            for (int i = 0; i < values.Count; i++)
            {
                if (savedArguments[i] is { } previous) inlineArguments[method.Parameters[i]] = previous;
                else inlineArguments.Remove(method.Parameters[i]);
            }
        }
    }

    private object Bound(object value) => value is StructValue s ? Bind(s) : Bind((IrExpr)value);

    /// <summary>The expression of a method whose body is <c>=> e</c> or <c>{ return e; }</c>; null otherwise.</summary>
    private static ExpressionSyntax? SingleExpressionBody(IMethodSymbol method)
    {
        if (method.DeclaringSyntaxReferences.Length != 1) return null;
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        (ArrowExpressionClauseSyntax? arrow, BlockSyntax? block) = syntax switch
        {
            BaseMethodDeclarationSyntax m => (m.ExpressionBody, m.Body),
            AccessorDeclarationSyntax a => (a.ExpressionBody, a.Body),
            ArrowExpressionClauseSyntax a => (a, null),
            _ => (null, null),
        };
        if (arrow is not null) return arrow.Expression;
        return block is { Statements.Count: 1 } && block.Statements[0] is ReturnStatementSyntax { Expression: { } returned } ? returned : null;
    }

    /// <summary>A number read from a struct: a field or auto-property, a computed property, or a method of the struct.</summary>
    private IrExpr? LowerStructMemberRead(IOperation operation, IrType type)
    {
        switch (operation)
        {
            case IParameterReferenceOperation parameter when inlineArguments.TryGetValue(parameter.Parameter, out var bound) && bound is IrExpr scalar:
                return scalar;
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } lengthOf } when StructArrayLength(lengthOf) is { } length:
                return length;
            // An element of a generated derivative's tuple that AutoDiff cannot take apart: the call says why.
            case IFieldReferenceOperation { Instance: IInvocationOperation generated } when GeneratedDerivative(generated.TargetMethod) is not null && ModelOf(generated.Type) is null:
                return LowerNestedDerivative(generated) as IrExpr ?? Ir.Lit(type, 0);
            case IFieldReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: false }
                when ((IMemberReferenceOperation)operation).Instance is { } instance && !IsOwnClassInstance(instance) && ModelOf(instance.Type) is { } model:
            {
                var member = ((IMemberReferenceOperation)operation).Member;
                var owner = LowerStruct(instance, model);
                var leaves = owner.Member(MemberName(member, instance.Type));
                if (leaves.Count == 1) return Ir.Convert(type, leaves[0]);
                if (IsNumerics(instance.Type as INamedTypeSymbol)
                    && NumericsFormulas.Scalar(member.Name, new List<object> { owner }, Bind, Bind) is { } known)
                {
                    return known;
                }
                if (member is IPropertySymbol { GetMethod: { } getter }) return InlineCall(operation, getter, owner, System.Array.Empty<IOperation>()) as IrExpr;
                return Unsupported(operation, $"{InlinePrefix}The member '{member.Name}'", "read the struct's fields");
            }
            case IInvocationOperation invocation when InvolvesStructs(invocation) && GeneratedDerivative(invocation.TargetMethod) is null:
            {
                var method = invocation.TargetMethod;
                var arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList();
                if (IsNumerics(method.ContainingType))
                {
                    var values = arguments.Select(LowerValue).ToList();
                    if (invocation.Instance is { } self) values.Insert(0, LowerValue(self));
                    return NumericsFormulas.Scalar(method.Name, values, Bind, Bind)
                        ?? Unsupported(invocation, $"{InlinePrefix}'{method.ContainingType.Name}.{method.Name}'", "AutoDiff knows Dot, Length, LengthSquared, Distance, DistanceSquared of the vectors and Abs of Complex");
                }
                if (TypeMapping.IsDifferentiable(method) && !method.IsGenericMethod && ModelOf(method.ReturnType) is null)
                {
                    if (method.IsStatic) return ScalarizedCall(invocation, method, arguments, type, self: null);
                    // A [Differentiable] instance method of a struct, on this or another value of the struct: its struct comes first.
                    if (StructBoundary.HasStructThis(method) && invocation.Instance is { } receiver && ModelOf(receiver.Type) is { } receiverModel)
                        return ScalarizedCall(invocation, method, arguments, type, LowerStruct(receiver, receiverModel));
                }
                var owner = invocation.Instance is { } instance && ModelOf(instance.Type) is { } ownerModel ? LowerStruct(instance, ownerModel) : null;
                return InlineCall(invocation, method, owner, arguments) as IrExpr;
            }
            case IBinaryOperation { OperatorMethod: { } binaryOperator } binary when ModelOf(binary.LeftOperand.Type) is not null || ModelOf(binary.RightOperand.Type) is not null:
                return InlineCall(binary, binaryOperator, null, new[] { binary.LeftOperand, binary.RightOperand }) as IrExpr;
        }
        return null;
    }

    /// <summary>The method's own object when it is a constant: a class's, or a struct's that is not differentiated.</summary>
    private bool IsOwnClassInstance(IOperation instance)
        => instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } && thisPlace is null && inlineThis is null;

    private bool InvolvesStructs(IInvocationOperation invocation)
        => invocation.TargetMethod.Parameters.Any(p => ModelOf(p.Type) is not null || IsStructArray(p.Type))
           || invocation.Instance is { } instance && !IsOwnClassInstance(instance) && ModelOf(instance.Type) is not null;

    private bool IsStructArray(ITypeSymbol type) => type is IArrayTypeSymbol { Rank: 1 } array && ModelOf(array.ElementType) is not null;

    /// <summary>A call to a [Differentiable] method that takes structs: it goes to its scalarised form, leaf by leaf.</summary>
    private IrExpr ScalarizedCall(IInvocationOperation invocation, IMethodSymbol method, List<IOperation> arguments, IrType type, StructValue? self)
    {
        var flat = StructBoundary.Flatten(method, Within, out var why);
        if (flat is null) return Unsupported(invocation, $"The call to '{method.Name}'", why);
        var loweredArguments = new List<IrArgument>();
        int offset = self is null ? 0 : 1;
        if (self is not null) loweredArguments.AddRange(self.Leaves.Select(l => new IrArgument(l)));
        for (int i = 0; i < arguments.Count; i++)
        {
            var boundary = flat.Boundary[i + offset];
            if (boundary.Struct is { } model && !boundary.IsArray)
            {
                loweredArguments.AddRange(LowerStruct(arguments[i], model).Leaves.Select(l => new IrArgument(l)));
            }
            else if (boundary.IsArray)
            {
                if (ArrayOfStructs(arguments[i]) is not { } array) return Unsupported(invocation, $"The call to '{method.Name}' with this array argument", "pass an array parameter or local");
                loweredArguments.Add(new IrArgument(array.Flat));
            }
            else
            {
                var value = LowerExpr(arguments[i]);
                if (value.Type.IsSequence && value is not IrVariable) return Unsupported(invocation, $"The call to '{method.Name}' with this array argument", "pass an array or span parameter or local");
                loweredArguments.Add(new IrArgument(value));
            }
        }
        if (method.DeclaringSyntaxReferences.Length > 0) sourceCallees.Add(new SourceCall(method, invocation.Syntax.GetLocation()));
        // A callee of another assembly is called through its scalarised form, whose second order must be there too.
        else CheckSecondOrder(method, invocation, StructBoundary.ScalarizedName(method.Name));
        var reference = new IrMethodRef(TypeMapping.FullyQualified(method.ContainingType), StructBoundary.ScalarizedName(method.Name), true, flat.Parameters.ToEquatableArray());
        return new IrCall(type, reference, loweredArguments.ToEquatableArray());
    }

    /// <summary>Declares a struct local (one local per leaf) or an array-of-structs local (a flat array).</summary>
    private bool LowerStructDeclarator(IVariableDeclaratorOperation declarator, IOperation? initializer, List<IrStatement> output)
    {
        var local = declarator.Symbol;
        if (ModelOf(local.Type) is { } model)
        {
            var names = model.Leaves.Select(l => FreshName(local.Name + "_" + l.Path.Replace(".", "_").Replace("@", ""))).ToList();
            var value = initializer is null ? Zeros(model) : LowerStruct(initializer, model);
            for (int i = 0; i < names.Count; i++) output.Add(new IrDeclare(model.Leaves[i].Type, names[i], value.Leaves[i]));
            structVariables[local] = new StructPlace(model, names);
            return true;
        }
        if (local.Type is IArrayTypeSymbol { Rank: 1 } arrayType && ModelOf(arrayType.ElementType) is { } elementModel)
        {
            if (!elementModel.IsHomogeneousFloatingPoint)
            {
                Unsupported(declarator, $"The array of '{elementModel.DisplayName}'", "arrays of structs need every field of one floating-point type (all double or all float)");
                return true;
            }
            if (nesting > 0 || initializer is not IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: null } creation)
            {
                Unsupported(declarator, $"The array '{local.Name}' declared here", "declare local arrays at the top of the method body, initialised with new T[length]");
                return true;
            }
            var leafType = elementModel.Leaves[0].Type;
            var flat = Ir.Var(leafType.WithShape(TypeShape.Array), UniqueName(local));
            var length = LowerExpr(creation.DimensionSizes[0]);
            output.Add(new IrDeclare(flat.Type, flat.Name, new IrNewArray(flat.Type, Ir.Mul(length, Ir.Lit(IrType.Int32, elementModel.Leaves.Count)))));
            structArrays[local] = (elementModel, flat);
            return true;
        }
        return false;
    }

    /// <summary>An assignment whose target is a struct, a member of one, or an element of an array of structs.</summary>
    private bool LowerStructAssignment(IOperation operation, List<IrStatement> output)
    {
        switch (operation)
        {
            case IDeconstructionAssignmentOperation deconstruction:
                return LowerDeconstruction(deconstruction, output);
            case ISimpleAssignmentOperation assignment when StructTarget(assignment.Target) is { } place:
                WriteStruct(place, LowerStruct(assignment.Value, place.Model), output);
                return true;
            case ICompoundAssignmentOperation { OperatorMethod: { } method } compound when StructTarget(compound.Target) is { } place:
                WriteStruct(place, LowerStructCall(compound, method, null, new[] { compound.Target, compound.Value }, place.Model), output);
                return true;
            case ISimpleAssignmentOperation assignment when LeafTarget(assignment.Target) is { } leaf:
                output.Add(leaf.Place.Write(leaf.Index, LowerExpr(assignment.Value)));
                return true;
            case ICompoundAssignmentOperation { OperatorMethod: null } compound when LeafTarget(compound.Target) is { } leaf:
            {
                var op = BinaryOperator(compound.OperatorKind);
                if (op is null) return false;
                var value = LowerExpr(compound.Value);
                var current = leaf.Place.Read(leaf.Index);
                output.Add(leaf.Place.Write(leaf.Index, new IrBinary(value.Type, op.Value, Ir.Convert(value.Type, current), value)));
                return true;
            }
            case IIncrementOrDecrementOperation increment when LeafTarget(increment.Target) is { } leaf:
            {
                var current = leaf.Place.Read(leaf.Index);
                var op = increment.Kind == OperationKind.Increment ? BinaryOp.Add : BinaryOp.Subtract;
                output.Add(leaf.Place.Write(leaf.Index, new IrBinary(current.Type, op, current, Ir.Lit(current.Type, 1))));
                return true;
            }
        }
        return false;
    }

    /// <summary>Writes every leaf; through temporaries when the value reads the place it overwrites (a swap).</summary>
    private void WriteStruct(StructPlace place, StructValue value, List<IrStatement> output)
    {
        var storage = new HashSet<string>(place.Storage);
        bool readsTarget = value.Leaves.Any(l => Ir.VariablesOf(l).Overlaps(storage));
        var leaves = value.Leaves;
        if (readsTarget)
        {
            leaves = leaves.Select(l =>
            {
                var name = FreshName("_s");
                output.Add(new IrDeclare(l.Type, name, l));
                return (IrExpr)Ir.Var(l.Type, name);
            }).ToList();
        }
        for (int i = 0; i < leaves.Count; i++) output.Add(place.Write(i, leaves[i]));
    }

    /// <summary>The place of a struct-typed target: a struct local, parameter, member of one, or element of an array of structs.</summary>
    private StructPlace? StructTarget(IOperation target)
    {
        switch (target)
        {
            case ILocalReferenceOperation local when structVariables.TryGetValue(local.Local, out var place):
                return place;
            case IParameterReferenceOperation parameter when structVariables.TryGetValue(parameter.Parameter, out var place):
                return place;
            case IArrayElementReferenceOperation { Indices.Length: 1 } element when ArrayOfStructs(element.ArrayReference) is { } array:
                if (array.Flat.Type.Shape != TypeShape.Array || !localNames.Values.Contains(array.Flat.Name))
                {
                    Unsupported(target, $"A write into the elements of the parameter '{array.Flat.Name}'", "arrays are inputs: copy into a local array (new T[n]) and write there");
                    return null;
                }
                return ElementPlace(array.Model, array.Flat, LowerExpr(element.Indices[0]));
            case IFieldReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: false }
                when ((IMemberReferenceOperation)target).Instance is { } instance && ModelOf(target.Type) is not null && StructTarget(instance) is { } owner:
            {
                var memberName = MemberName(((IMemberReferenceOperation)target).Member, instance.Type).TrimStart('@');
                var member = owner.Model.Members.FirstOrDefault(m => m.Name.TrimStart('@') == memberName);
                return member?.Struct is null ? null : owner.Member(member);
            }
        }
        return null;
    }

    /// <summary>The place and leaf index of a numeric member of a struct place (<c>v.X</c>, <c>bodies[i].Position.Y</c>).</summary>
    private (StructPlace Place, int Index)? LeafTarget(IOperation target)
    {
        if (target is not (IFieldReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: false })) return null;
        var reference = (IMemberReferenceOperation)target;
        if (reference.Instance is not { } instance || IsOwnClassInstance(instance) || StructTarget(instance) is not { } owner) return null;
        var (start, count) = owner.Model.LeafRange(MemberName(reference.Member, instance.Type));
        return start >= 0 && count == 1 ? (owner, start) : null;
    }

    /// <summary><c>foreach (var b in bodies)</c> over an array of structs.</summary>
    private bool LowerStructForEach(IForEachLoopOperation forEach, List<IrStatement> output)
    {
        var collection = forEach.Collection is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : forEach.Collection;
        if (ArrayOfStructs(collection) is not { } array || forEach.LoopControlVariable is not IVariableDeclaratorOperation declarator) return false;
        var index = Ir.Var(IrType.Int32, FreshName(declarator.Symbol.Name + "_index"));
        output.Add(new IrDeclare(IrType.Int32, index.Name, Ir.Lit(IrType.Int32, 0)));
        nesting++;
        var body = new List<IrStatement>();
        var element = new StructPlace(array.Model, array.Flat, Ir.Mul(index, Ir.Lit(IrType.Int32, array.Model.Leaves.Count))).Value;
        var names = array.Model.Leaves.Select(l => FreshName(declarator.Symbol.Name + "_" + l.Path.Replace(".", "_").Replace("@", ""))).ToList();
        for (int i = 0; i < names.Count; i++) body.Add(new IrDeclare(array.Model.Leaves[i].Type, names[i], element.Leaves[i]));
        structVariables[declarator.Symbol] = new StructPlace(array.Model, names);
        LowerStatement(forEach.Body, body);
        nesting--;
        var count = ElementCount(array.Model, array.Flat);
        output.Add(new IrLoop(Ir.Compare(BinaryOp.Less, index, count), new IrBlock(body.ToEquatableArray()),
            IrBlock.Of(Ir.Assign(index.Name, new IrBinary(IrType.Int32, BinaryOp.Add, index, Ir.Lit(IrType.Int32, 1))))));
        return true;
    }

    /// <summary><c>bodies.Length</c> for an array of structs: the flat length over the struct's size.</summary>
    private IrExpr? StructArrayLength(IOperation lengthOf)
        => ArrayOfStructs(lengthOf) is { } array ? ElementCount(array.Model, array.Flat) : null;

    /// <summary>The number of structs in a flat array of their numbers.</summary>
    private static IrExpr ElementCount(StructModel model, IrVariable flat) => Ir.Div(new IrLength(flat), Ir.Lit(IrType.Int32, model.Leaves.Count));
}
