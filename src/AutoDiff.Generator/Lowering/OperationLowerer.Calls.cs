using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.IR;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiff.Generator.Lowering;

/// <summary>
/// Lowering of calls: Math functions, [Differentiable] and custom-derivative callees, helpers that write arrays or spans
/// (with their refusals), and calls with no derivative (hazards).
/// </summary>
internal sealed partial class OperationLowerer
{
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
        if (!takesSlices && loweredArguments.Any(a => a is IrSlice))
        {
            return Unsupported(invocation, $"The call to '{display}' with a span local",
                "pass span locals to [Differentiable] methods only, or index them and take their Length");
        }
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
        if (operation is ILocalReferenceOperation local && ViewOf(local.Local) is { } localView)
        {
            // A span local passed on: the view, read-only unless the callee may write it.
            return localView with { Type = localView.Type.WithShape(parameter is not null && WrittenParameters.IsWritableSpan(parameter.Type) ? TypeShape.Span : TypeShape.ReadOnlySpan) };
        }
        if (SliceFormOf(operation) is not { } form) return null;
        if (form.Malformed) return Unsupported(operation, $"The slice '{operation.Syntax}'", "slice with AsSpan(start, length), AsSpan(start), Slice or a range a[i..j]");
        var (source, start, length, range, copies) = (form.Source, form.Start, form.Length, form.Range, form.Copies);
        var loweredSource = LowerExpr(source);
        // A slice of a span local's view is a view of the same sequence, further in.
        var outer = loweredSource as IrSlice;
        if ((outer?.Sequence ?? loweredSource) is not IrVariable { Type.IsSequence: true, Type.IsMatrix: false } sequence)
        {
            return Unsupported(operation, $"The slice '{operation.Syntax}'", "slice an array or span parameter or local");
        }
        IrExpr whole = outer?.Length ?? new IrLength(sequence);
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
        if (outer is not null) first = outer.Start is IrLiteral { Value: 0 } ? first : Ir.Add(outer.Start, first);
        // The view has the type of the parameter it is passed for: a span only where the callee may write it (a copy never).
        var shape = !copies && parameter is not null && WrittenParameters.IsWritableSpan(parameter.Type) ? TypeShape.Span : TypeShape.ReadOnlySpan;
        return new IrSlice(sequence.Type.WithShape(shape), sequence, first, count);
    }

    /// <summary>The parts of a slice expression (see <see cref="SliceFormOf"/>).</summary>
    /// <param name="Source">What is sliced.</param>
    /// <param name="Start">The start, when given as one.</param>
    /// <param name="Length">The length, when given.</param>
    /// <param name="Range">The range, when given as one.</param>
    /// <param name="Copies">True for a range of an array, which copies the elements instead of viewing them.</param>
    /// <param name="Malformed">True for an <c>AsSpan</c> overload with arguments that are not a start, length or range.</param>
    internal sealed record SliceForm(IOperation Source, IOperation? Start, IOperation? Length, IRangeOperation? Range, bool Copies, bool Malformed);

    /// <summary>
    /// <c>x.AsSpan(start, length)</c>, <c>x.AsSpan(start)</c>, <c>x.AsSpan(range)</c>, <c>s.Slice(start[, length])</c>,
    /// <c>s[i..j]</c> on a span and <c>a[i..j]</c> on an array (a copy), taken apart; null for anything else. Lowering and
    /// <see cref="WrittenParameters"/> read slices through this one recogniser.
    /// </summary>
    internal static SliceForm? SliceFormOf(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation { TargetMethod: { Name: "AsSpan" } asSpan } call
                when asSpan.ContainingType?.ToDisplayString() == "System.MemoryExtensions" && call.Arguments.Length >= 1:
            {
                IOperation? start = null, length = null;
                IRangeOperation? range = null;
                bool malformed = false;
                foreach (var argument in call.Arguments.Skip(1))
                {
                    switch (argument.Parameter?.Name)
                    {
                        case "start" when argument.Parameter.Type.SpecialType == SpecialType.System_Int32: start = argument.Value; break;
                        case "length": length = argument.Value; break;
                        case "range" when argument.Value is IRangeOperation r: range = r; break;
                        default: malformed = true; break;
                    }
                }
                return new SliceForm(call.Arguments[0].Value, start, length, range, Copies: false, malformed);
            }
            case IInvocationOperation { TargetMethod.Name: "Slice", Instance: { } instance } call when TypeMapping.ToIr(instance.Type) is { IsSequence: true }:
                return new SliceForm(instance, call.Arguments.FirstOrDefault(a => a.Parameter?.Name == "start")?.Value,
                    call.Arguments.FirstOrDefault(a => a.Parameter?.Name == "length")?.Value, null, Copies: false, Malformed: false);
            case IImplicitIndexerReferenceOperation { Argument: IRangeOperation range } indexer when TypeMapping.ToIr(indexer.Instance.Type) is { IsSequence: true }:
                return new SliceForm(indexer.Instance, null, null, range, Copies: false, Malformed: false);
            case IArrayElementReferenceOperation { Indices.Length: 1 } element when Unwrapped(element.Indices[0]) is IRangeOperation range:
                // array[i..j]: a copy of the elements.
                return new SliceForm(element.ArrayReference, null, null, range, Copies: true, Malformed: false);
            default:
                return null;
        }
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
        => FirstArgumentRefusal(invocation, written, arguments, (i, argumentSyntax) =>
        {
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
            return null;
        });

    /// <summary>The first refusal <paramref name="check"/> gives for an argument passed for a flagged parameter (by position), or null.</summary>
    private static IrExpr? FirstArgumentRefusal(IInvocationOperation invocation, bool[] flagged, List<IrExpr> arguments, System.Func<int, IOperation, IrExpr?> check)
    {
        for (int i = 0; i < flagged.Length && i < arguments.Count; i++)
        {
            if (!flagged[i]) continue;
            var argumentSyntax = invocation.Arguments.First(a => a.Parameter?.Ordinal == i).Value;
            if (check(i, argumentSyntax) is { } refusal) return refusal;
        }
        return null;
    }

    /// <summary>
    /// True when another argument than the <paramref name="position"/>-th passes <paramref name="sequence"/>, whole or
    /// sliced, except a slice that views no element the <paramref name="position"/>-th one views (disjoint slices of one
    /// array: an LSTM cell's hidden and cell state, <c>s.Slice(i, b)</c> and <c>s.Slice(i + b, b)</c>).
    /// </summary>
    private static bool PassedAgain(IrVariable sequence, int position, List<IrExpr> arguments)
        => arguments.Where((argument, j) => j != position && Ir.SequenceOf(argument)?.Name == sequence.Name
            && !(argument is IrSlice other && arguments[position] is IrSlice own && IrIntervals.Disjoint(own, other))).Any();

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
        return FirstArgumentRefusal(invocation, outputs, arguments, (i, argumentSyntax) =>
        {
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
            return null;
        });
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
}
