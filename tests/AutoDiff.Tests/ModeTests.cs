// Forward vs reverse mode, Hessian-vector products vs finite differences of the gradient, and Hessians, for every
// [Differentiable] test function, on the domains of the gradient checks (*Tests.cs); see ModeCheck.
using System;
using AutoDiff.Tests.FileScoped;
using AutoDiff.Tests.Functions;
using AutoDiff.Tests.Other;
using Xunit;

namespace AutoDiff.Tests;

public class BasicsModeTests
{
    public static readonly ModeCases Cases = new()
    {
        { typeof(Basics), nameof(Basics.Add), Domain.Box(-3, 3, 2) },
        { typeof(Basics), nameof(Basics.Subtract), Domain.Box(-3, 3, 2) },
        { typeof(Basics), nameof(Basics.Multiply), Domain.Box(-3, 3, 2) },
        { typeof(Basics), nameof(Basics.Divide), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[1]) > 0.3) },
        { typeof(Basics), nameof(Basics.Remainder), Domain.Box((-5, 5), (0.7, 2)).Where(p => Domain.DistanceToGrid(p[0] / p[1]) > 0.01) },
        { typeof(Basics), nameof(Basics.Negate), Domain.Box(-3, 3, 2) },
        { typeof(Basics), nameof(Basics.UnaryPlus), Domain.Box(-3, 3, 1) },
        { typeof(Basics), nameof(Basics.Unary), Domain.Box(-3, 3, 1) },
        { typeof(Basics), nameof(Basics.Constant), Domain.Box(-3, 3, 1) },
        { typeof(Basics), nameof(Basics.Parentheses), Domain.Box(-3, 3, 2) },
        { typeof(Basics), nameof(Basics.Literals), Domain.Box(-3, 3, 2) },
        { typeof(Basics), nameof(Basics.Polynomial), Domain.Box(-3, 3, 1) },
        { typeof(Basics), nameof(Basics.SameVariableEverywhere), Domain.Box(-3, 3, 1) },
        { typeof(Basics), nameof(Basics.Locals), Domain.Box(-3, 3, 2) },
        { typeof(Basics), nameof(Basics.DeclaredThenAssigned), Domain.Box(-3, 3, 2) },
        { typeof(Basics), nameof(Basics.CompoundAssignment), Domain.Box(-2, 2, 2) },
        { typeof(Basics), nameof(Basics.CompoundAssignmentOnParameters), Domain.Box(-2, 2, 2) },
        { typeof(Basics), nameof(Basics.IncrementDecrement), Domain.Box(-3, 3, 1), -3 },
        { typeof(Basics), nameof(Basics.IncrementDecrement), Domain.Box(-3, 3, 1), 0 },
        { typeof(Basics), nameof(Basics.IncrementDecrement), Domain.Box(-3, 3, 1), 5 },
        { typeof(Basics), nameof(Basics.ConstLocals), Domain.Box(-3, 3, 2) },
        { typeof(Basics), nameof(Basics.ConstAndStaticReadonlyFields), Domain.Box(-3, 3, 2) },
        { typeof(Basics), nameof(Basics.ParameterReassigned), Domain.Box(-3, 3, 2) },
        { typeof(Basics), nameof(Basics.LocalReassignedUsingOldValue), Domain.Box(-1.5, 1.5, 2) },
        { typeof(Basics), nameof(Basics.ParametersReassignedInTurn), Domain.Box(-1, 1, 2) },
        { typeof(Basics), nameof(Basics.Keywords), Domain.Box(-3, 3, 2) },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);
}

public class CallModeTests
{
    public static readonly ModeCases Cases = new()
    {
        { typeof(Calls), nameof(Calls.Square), Domain.Box(-3, 3, 1) },
        { typeof(Calls), nameof(Calls.Product), Domain.Box(-3, 3, 2) },
        { typeof(Calls), nameof(Calls.SquareF), Domain.Box(-3, 3, 1) },
        { typeof(Calls), nameof(Calls.CallSameClass), Domain.Box(-3, 3, 2) },
        { typeof(Calls), nameof(Calls.CallSameVariableTwice), Domain.Box(-2, 2, 1) },
        { typeof(Calls), nameof(Calls.CallWithConstantArgument), Domain.Box(-3, 3, 1) },
        { typeof(Calls), nameof(Calls.CallWithIntArgument), Domain.Box(-2, 2, 1), 0 },
        { typeof(Calls), nameof(Calls.CallWithIntArgument), Domain.Box(-2, 2, 1), 1 },
        { typeof(Calls), nameof(Calls.CallWithIntArgument), Domain.Box(-2, 2, 1), 4 },
        { typeof(Calls), nameof(Calls.CallFloatFromDouble), Domain.Box(-3, 3, 1), ModeOptions.Float },
        { typeof(Calls), nameof(Calls.CallOtherNamespace), Domain.Box(-1.5, 1.5, 2) },
        { typeof(Calls), nameof(Calls.CallNonDifferentiableWithConstants), Domain.Box(-3, 3, 1) },
        { typeof(Calls), nameof(Calls.NestedCalls), Domain.Box(-1.5, 1.5, 2) },
        { typeof(Calls), nameof(Calls.PowerRecursive), Domain.Box(-2, 2, 1), 0 },
        { typeof(Calls), nameof(Calls.PowerRecursive), Domain.Box(-2, 2, 1), 1 },
        { typeof(Calls), nameof(Calls.PowerRecursive), Domain.Box(-2, 2, 1), 2 },
        { typeof(Calls), nameof(Calls.PowerRecursive), Domain.Box(-2, 2, 1), 5 },
        { typeof(Calls), nameof(Calls.PowerRecursiveConditional), Domain.Box(-2, 2, 1), 0 },
        { typeof(Calls), nameof(Calls.PowerRecursiveConditional), Domain.Box(-2, 2, 1), 1 },
        { typeof(Calls), nameof(Calls.PowerRecursiveConditional), Domain.Box(-2, 2, 1), 2 },
        { typeof(Calls), nameof(Calls.PowerRecursiveConditional), Domain.Box(-2, 2, 1), 5 },
        { typeof(Calls), nameof(Calls.CallAsStatementAndInLocals), Domain.Box(-1.5, 1.5, 2) },
        { typeof(Calls), nameof(Calls.CallWithNamedArguments), Domain.Box(-3, 3, 2) },
        { typeof(Helpers), nameof(Helpers.Cube), Domain.Box(-3, 3, 1) },
        { typeof(Helpers), nameof(Helpers.Blend), Domain.Box(-3, 3, 3) },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);
}

public class ControlFlowModeTests
{
    public static readonly ModeCases Cases = new()
    {
        { typeof(ControlFlow), nameof(ControlFlow.IfElse), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] - p[1]) > 0.01) },
        { typeof(ControlFlow), nameof(ControlFlow.ElseIfChain), Domain.Box(-3, 3, 1).Where(p => Domain.DistanceToGrid(p[0]) > 0.01) },
        { typeof(ControlFlow), nameof(ControlFlow.IfAssigns), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0]) > 0.01) },
        { typeof(ControlFlow), nameof(ControlFlow.IfWithoutElse), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[1]) > 0.01) },
        { typeof(ControlFlow), nameof(ControlFlow.NestedIfs), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0]) > 0.01 && Math.Abs(p[1]) > 0.01 && Math.Abs(p[1] - p[0]) > 0.01) },
        { typeof(ControlFlow), nameof(ControlFlow.Conditional), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] - p[1]) > 0.01) },
        { typeof(ControlFlow), nameof(ControlFlow.ConditionalInsideArithmetic), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0]) > 0.01 && Math.Abs(p[1] - 1) > 0.01 && Math.Abs(p[0] + 1) > 0.01) },
        { typeof(ControlFlow), nameof(ControlFlow.EarlyReturnInNestedIf), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0]) > 0.01 && Math.Abs(p[1]) > 0.01) },
        { typeof(ControlFlow), nameof(ControlFlow.ReturnInOneBranch), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] + p[1] - 1) > 0.01) },
        { typeof(ControlFlow), nameof(ControlFlow.SeveralEarlyReturns), Domain.Box(-4, 4, 1).Where(p => Math.Abs(p[0] + 2) > 0.01 && Math.Abs(p[0]) > 0.01 && Math.Abs(p[0] - 2) > 0.01) },
        { typeof(ControlFlow), nameof(ControlFlow.Comparisons), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] - p[1]) > 0.01 && Math.Abs(p[0] - 0.5) > 0.01) },
        { typeof(ControlFlow), nameof(ControlFlow.LogicalOperators), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0]) > 0.01 && Math.Abs(p[1]) > 0.01 && Math.Abs(p[0] - 1) > 0.01 && Math.Abs(p[1] - 1) > 0.01 && Math.Abs(p[0] - p[1]) > 0.01), true },
        { typeof(ControlFlow), nameof(ControlFlow.LogicalOperators), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0]) > 0.01 && Math.Abs(p[1]) > 0.01 && Math.Abs(p[0] - 1) > 0.01 && Math.Abs(p[1] - 1) > 0.01 && Math.Abs(p[0] - p[1]) > 0.01), false },
        { typeof(ControlFlow), nameof(ControlFlow.ConditionOnDifferentiatedCall), Domain.Box(-3, 3, 1).Where(p => Math.Abs(((2.0 * p[0] - 3.0) * p[0] + 0.5) * p[0] - 4.0) > 0.01) },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);
}

public class ConversionModeTests
{
    public static readonly ModeCases Cases = new()
    {
        { typeof(Conversions), nameof(Conversions.WidenFloatParameter), Domain.Box(-3, 3, 2), ModeOptions.Float },
        { typeof(Conversions), nameof(Conversions.NarrowToFloat), Domain.Box(-3, 3, 2), ModeOptions.Float },
        { typeof(Conversions), nameof(Conversions.FloatToFloat), Domain.Box(-3, 3, 1) },
        { typeof(Conversions), nameof(Conversions.ThroughFloatLocal), Domain.Box(-3, 3, 1), ModeOptions.Float },
        { typeof(Conversions), nameof(Conversions.FloatParameterDoubleReturn), Domain.Box(-3, 3, 1), ModeOptions.Float },
        { typeof(Conversions), nameof(Conversions.IntToDouble), Domain.Box(-3, 3, 1), -2 },
        { typeof(Conversions), nameof(Conversions.IntToDouble), Domain.Box(-3, 3, 1), 0 },
        { typeof(Conversions), nameof(Conversions.IntToDouble), Domain.Box(-3, 3, 1), 3 },
        { typeof(Conversions), nameof(Conversions.ExplicitIntToDouble), Domain.Box(-3, 3, 1).Where(p => Math.Abs(p[0]) > 0.2), 0 },
        { typeof(Conversions), nameof(Conversions.ExplicitIntToDouble), Domain.Box(-3, 3, 1).Where(p => Math.Abs(p[0]) > 0.2), 1 },
        { typeof(Conversions), nameof(Conversions.ExplicitIntToDouble), Domain.Box(-3, 3, 1).Where(p => Math.Abs(p[0]) > 0.2), 3 },
        { typeof(Conversions), nameof(Conversions.LongParameter), Domain.Box(-3, 3, 1), -7L },
        { typeof(Conversions), nameof(Conversions.LongParameter), Domain.Box(-3, 3, 1), 5_000_000_000L },
        { typeof(Conversions), nameof(Conversions.BoolParameter), Domain.Box(-3, 3, 1), true },
        { typeof(Conversions), nameof(Conversions.BoolParameter), Domain.Box(-3, 3, 1), false },
        { typeof(Conversions), nameof(Conversions.AllParameterKinds), Domain.Box(-3, 3, 2), ModeOptions.Float, 2, true, 10L },
        { typeof(Conversions), nameof(Conversions.AllParameterKinds), Domain.Box(-3, 3, 2), ModeOptions.Float, -1, false, -3L },
        { typeof(Conversions), nameof(Conversions.IntArithmetic), Domain.Box(-3, 3, 1), -4 },
        { typeof(Conversions), nameof(Conversions.IntArithmetic), Domain.Box(-3, 3, 1), 0 },
        { typeof(Conversions), nameof(Conversions.IntArithmetic), Domain.Box(-3, 3, 1), 7 },
        { typeof(Conversions), nameof(Conversions.CastToInt), Domain.Box(-5, 5, 1).Where(p => Domain.DistanceToGrid(p[0]) > 0.01) },
        { typeof(Conversions), nameof(Conversions.CastToLong), Domain.Box(-5, 5, 2).Where(p => Domain.DistanceToGrid(2 * p[0]) > 0.01) },
        { typeof(Conversions), nameof(Conversions.IntLocalFromCast), Domain.Box(-5, 5, 1).Where(p => Domain.DistanceToGrid(10 * p[0]) > 0.01) },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);
}

public class EdgeCaseModeTests
{
    public static readonly ModeCases Cases = new()
    {
        { typeof(EdgeCases), nameof(EdgeCases.ParameterReassignedInBranch), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0]) > 0.01) },
        { typeof(EdgeCases), nameof(EdgeCases.SiblingScopesSameLocalName), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] - p[1]) > 0.01) },
        { typeof(EdgeCases), nameof(EdgeCases.OverwriteInBranches), Domain.Box(-1.5, 1.5, 2).Where(p => Math.Abs(p[0]) > 0.01) },
        { typeof(EdgeCases), nameof(EdgeCases.SelfReferentialUpdates), Domain.Box(-2, 2, 1) },
        { typeof(EdgeCases), nameof(EdgeCases.CompoundWithIntOperands), Domain.Box(-3, 3, 1), -3 },
        { typeof(EdgeCases), nameof(EdgeCases.CompoundWithIntOperands), Domain.Box(-3, 3, 1), 0 },
        { typeof(EdgeCases), nameof(EdgeCases.CompoundWithIntOperands), Domain.Box(-3, 3, 1), 4 },
        { typeof(EdgeCases), nameof(EdgeCases.CompoundFloatWithDouble), Domain.Box(-3, 3, 1) },
        { typeof(EdgeCases), nameof(EdgeCases.IncrementParameter), Domain.Box(-3, 3, 2) },
        { typeof(EdgeCases), nameof(EdgeCases.IntFromConditional), Domain.Box(-3.5, 3.5, 1).Where(p => Math.Abs(p[0]) > 0.01 && Math.Abs(p[0] - 2) > 0.01 && Math.Abs(p[0] + 2) > 0.01 && Math.Abs(p[0] + 2.5) > 0.01) },
        { typeof(EdgeCases), nameof(EdgeCases.CallsInConditional), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] - p[1]) > 0.01) },
        { typeof(EdgeCases), nameof(EdgeCases.EarlyReturnThenParameterChange), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[1]) > 0.01) },
        { typeof(EdgeCases), nameof(EdgeCases.NestedConditionals), Domain.Box(-2, 2, 2).Where(p => Math.Abs(p[0]) > 0.01 && Math.Abs(p[1]) > 0.01 && Math.Abs(p[0] + p[1] - 1) > 0.01) },
        { typeof(EdgeCases), nameof(EdgeCases.SameLocalUsedAfterManyRewrites), Domain.Box(-1.2, 1.2, 2) },
        { typeof(EdgeCases), nameof(EdgeCases.RemainderFloat), Domain.Box((-5, 5), (0.7, 2)).Where(p => Domain.DistanceToGrid(p[0] / p[1]) > 0.15) },
        { typeof(EdgeCases), nameof(EdgeCases.DeepExpression), Domain.Box(-3, 3, 2) },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);
}

public class MathFModeTests
{
    public static readonly ModeCases Cases = new()
    {
        { typeof(MathFFunctions), nameof(MathFFunctions.Exp), Domain.Box(-1.5, 1.5, 2) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Log), Domain.Box(0.3, 3, 2) },
        { typeof(MathFFunctions), nameof(MathFFunctions.LogBase), Domain.Box(0.3, 5, 2).Where(p => Math.Abs(p[1] - 1) > 0.3) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Log10), Domain.Box(0.3, 5, 1) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Log2), Domain.Box(-0.5, 5, 1) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Sqrt), Domain.Box(-3, 3, 2) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Cbrt), Domain.Box(-5, 5, 1).Where(p => Math.Abs(p[0]) > 0.3) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Pow), Domain.Box((0.3, 3), (-2, 2)) },
        { typeof(MathFFunctions), nameof(MathFFunctions.PowConstantExponent), Domain.Box(-3, 3, 1) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Sin), Domain.Box(-3, 3, 2) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Cos), Domain.Box(-3, 3, 2) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Tan), Domain.Box(-1.2, 1.2, 1) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Asin), Domain.Box(-0.85, 0.85, 1) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Acos), Domain.Box(-0.85, 0.85, 1) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Atan), Domain.Box(-5, 5, 1) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Atan2), Domain.Box(-3, 3, 2).Where(p => p[0] * p[0] + p[1] * p[1] > 0.3 && (p[1] > 0 || Math.Abs(p[0]) > 0.1)) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Sinh), Domain.Box(-3, 3, 1) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Cosh), Domain.Box(-3, 3, 1) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Tanh), Domain.Box(-1.5, 1.5, 2) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Abs), Domain.Box(-2, 2, 2).Where(p => Math.Abs(p[0] * p[1] - 1) > 0.15) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Max), Domain.Box(-2, 2, 2).Where(p => Math.Abs(p[0] - p[1] * p[1]) > 0.15) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Min), Domain.Box(-2, 2, 2).Where(p => Math.Abs(2 * p[0] - p[1]) > 0.15) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Clamp), Domain.Box((-3, 3), (-2, 0), (0.5, 2)).Where(p => Math.Abs(p[0] - p[1]) > 0.1 && Math.Abs(p[0] - p[2]) > 0.1) },
        { typeof(MathFFunctions), nameof(MathFFunctions.MathFloatOverloads), Domain.Box(-2, 2, 2).Where(p => Math.Abs(p[0]) > 0.1 && Math.Abs(p[0] - p[1]) > 0.1) },
        { typeof(MathFFunctions), nameof(MathFFunctions.Composite), Domain.Box((0.3, 2), (-0.5, 2)) },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);
}

public class MathModeTests
{
    public static readonly ModeCases Cases = new()
    {
        { typeof(MathFunctions), nameof(MathFunctions.Exp), Domain.Box(-1.5, 1.5, 2) },
        { typeof(MathFunctions), nameof(MathFunctions.Log), Domain.Box(0.2, 3, 2) },
        { typeof(MathFunctions), nameof(MathFunctions.LogBase), Domain.Box(0.2, 5, 2).Where(p => Math.Abs(p[1] - 1) > 0.2) },
        { typeof(MathFunctions), nameof(MathFunctions.LogConstantBase), Domain.Box(-3, 3, 1).Where(p => Math.Abs(p[0]) > 0.2) },
        { typeof(MathFunctions), nameof(MathFunctions.LogConstantArgument), Domain.Box(0.2, 5, 1).Where(p => Math.Abs(p[0] - 1) > 0.2) },
        { typeof(MathFunctions), nameof(MathFunctions.Log10), Domain.Box(0.1, 5, 1) },
        { typeof(MathFunctions), nameof(MathFunctions.Log2), Domain.Box(-0.5, 5, 1) },
        { typeof(MathFunctions), nameof(MathFunctions.Sqrt), Domain.Box(-3, 3, 2) },
        { typeof(MathFunctions), nameof(MathFunctions.Cbrt), Domain.Box(-5, 5, 1).Where(p => Math.Abs(p[0]) > 0.2) },
        { typeof(MathFunctions), nameof(MathFunctions.Pow), Domain.Box((0.2, 3), (-2, 2)) },
        { typeof(MathFunctions), nameof(MathFunctions.PowConstantExponent), Domain.Box(-3, 3, 1) },
        { typeof(MathFunctions), nameof(MathFunctions.PowFractionalExponent), Domain.Box(0.2, 4, 1) },
        { typeof(MathFunctions), nameof(MathFunctions.PowConstantBase), Domain.Box(-3, 3, 1) },
        { typeof(MathFunctions), nameof(MathFunctions.PowExpressions), Domain.Box(-1.5, 1.5, 2) },
        { typeof(MathFunctions), nameof(MathFunctions.Sin), Domain.Box(-3, 3, 2) },
        { typeof(MathFunctions), nameof(MathFunctions.Cos), Domain.Box(-3, 3, 2) },
        { typeof(MathFunctions), nameof(MathFunctions.Tan), Domain.Box(-1.3, 1.3, 1) },
        { typeof(MathFunctions), nameof(MathFunctions.Asin), Domain.Box(-0.9, 0.9, 1) },
        { typeof(MathFunctions), nameof(MathFunctions.Acos), Domain.Box(-0.9, 0.9, 1) },
        { typeof(MathFunctions), nameof(MathFunctions.Atan), Domain.Box(-5, 5, 1) },
        { typeof(MathFunctions), nameof(MathFunctions.Atan2), Domain.Box(-3, 3, 2).Where(p => p[0] * p[0] + p[1] * p[1] > 0.1 && (p[1] > 0 || Math.Abs(p[0]) > 0.05)) },
        { typeof(MathFunctions), nameof(MathFunctions.Sinh), Domain.Box(-3, 3, 1) },
        { typeof(MathFunctions), nameof(MathFunctions.Cosh), Domain.Box(-3, 3, 1) },
        { typeof(MathFunctions), nameof(MathFunctions.Tanh), Domain.Box(-1.5, 1.5, 2) },
        { typeof(MathFunctions), nameof(MathFunctions.Abs), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] * p[1] - 1) > 0.01) },
        { typeof(MathFunctions), nameof(MathFunctions.Max), Domain.Box(-3, 3, 2).Where(p => Math.Abs(p[0] - p[1] * p[1]) > 0.01) },
        { typeof(MathFunctions), nameof(MathFunctions.Min), Domain.Box(-3, 3, 2).Where(p => Math.Abs(2 * p[0] - p[1]) > 0.01) },
        { typeof(MathFunctions), nameof(MathFunctions.Relu), Domain.Box(-3, 3, 1).Where(p => Math.Abs(p[0]) > 0.01) },
        { typeof(MathFunctions), nameof(MathFunctions.Clamp), Domain.Box((-3, 3), (-2, 0), (0.5, 2)).Where(p => Math.Abs(p[0] - p[1]) > 0.01 && Math.Abs(p[0] - p[2]) > 0.01) },
        { typeof(MathFunctions), nameof(MathFunctions.ClampConstantBounds), Domain.Box(-3, 3, 1).Where(p => Math.Abs(p[0] * p[0] - 0.5) > 0.01 && Math.Abs(p[0] * p[0] - 4) > 0.01) },
        { typeof(MathFunctions), nameof(MathFunctions.Composite), Domain.Box((0.3, 2), (-0.5, 2)) },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);
}

public class NestingModeTests
{
    public static readonly ModeCases Cases = new()
    {
        { typeof(Outer.Inner), nameof(Outer.Inner.Nested), Domain.Box(-3, 3, 2) },
        { typeof(Outer.Inner.Deeper), nameof(Outer.Inner.Deeper.Deepest), Domain.Box(-3, 3, 1) },
        { typeof(Outer), nameof(Outer.InternalMethod), Domain.Box(-3, 3, 1) },
        { typeof(Outer), nameof(Outer.CallsPrivate), Domain.Box(-2, 2, 2) },
        { typeof(Holder), nameof(Holder.InStruct), Domain.Box(-3, 3, 2) },
        { typeof(ReadonlyHolder), nameof(ReadonlyHolder.InReadonlyStruct), Domain.Box(-3, 3, 1) },
        { typeof(InstanceClass), nameof(InstanceClass.StaticInNonStaticClass), Domain.Box(-3, 3, 1) },
        { typeof(InternalClass), nameof(InternalClass.InInternalClass), Domain.Box(-3, 3, 1) },
        { typeof(Overloads), nameof(Overloads.Over), new[] { typeof(double) }, Domain.Box(-3, 3, 1) },
        { typeof(Overloads), nameof(Overloads.Over), new[] { typeof(double), typeof(double) }, Domain.Box(-3, 3, 2) },
        { typeof(Overloads), nameof(Overloads.Over), new[] { typeof(float) }, Domain.Box(-3, 3, 1) },
        { typeof(FileScopedFunctions), nameof(FileScopedFunctions.Hypot), Domain.Box(-3, 3, 2).Where(p => p[0] * p[0] + p[1] * p[1] > 0.1) },
        { typeof(Neuron), nameof(Neuron.Forward), Domain.Box(-2, 2, 5) },
        { typeof(Neuron), nameof(Neuron.Sigmoid), Domain.Box(-5, 5, 1) },
        { typeof(Neuron), nameof(Neuron.AddMultiply), Domain.Box(-5, 5, 3) },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);
}

public class PiecewiseModeTests
{
    public static readonly ModeCases Cases = new()
    {
        { typeof(Piecewise), nameof(Piecewise.FloorPlus), Domain.Box(-5, 5, 1).Where(p => Domain.DistanceToGrid(p[0]) > 0.01) },
        { typeof(Piecewise), nameof(Piecewise.CeilingTimes), Domain.Box(-5, 5, 2).Where(p => Domain.DistanceToGrid(p[1]) > 0.01) },
        { typeof(Piecewise), nameof(Piecewise.RoundPlus), Domain.Box(-3, 3, 1).Where(p => Domain.DistanceToGrid(3 * p[0] + 0.5) > 0.03) },
        { typeof(Piecewise), nameof(Piecewise.TruncateTimes), Domain.Box(-5, 5, 1).Where(p => Domain.DistanceToGrid(p[0]) > 0.01) },
        { typeof(Piecewise), nameof(Piecewise.SignTimes), Domain.Box(-5, 5, 2).Where(p => Math.Abs(p[0]) > 0.01) },
        { typeof(Piecewise), nameof(Piecewise.FloorPlusF), Domain.Box(-5, 5, 1).Where(p => Domain.DistanceToGrid(p[0]) > 0.1) },
        { typeof(Piecewise), nameof(Piecewise.CeilingTimesF), Domain.Box(-5, 5, 2).Where(p => Domain.DistanceToGrid(p[1]) > 0.1) },
        { typeof(Piecewise), nameof(Piecewise.RoundPlusF), Domain.Box(-3, 3, 1).Where(p => Domain.DistanceToGrid(3 * p[0] + 0.5) > 0.2) },
        { typeof(Piecewise), nameof(Piecewise.TruncateTimesF), Domain.Box(-5, 5, 1).Where(p => Domain.DistanceToGrid(p[0]) > 0.1) },
        { typeof(Piecewise), nameof(Piecewise.SignTimesF), Domain.Box(-5, 5, 2).Where(p => Math.Abs(p[0]) > 0.1) },
    };

    public static TheoryData<string> Labels => Cases.Labels;

    [Theory, MemberData(nameof(Labels))]
    public void Modes(string function) => Cases.Check(function);
}
