using System;
using System.Collections.Generic;
using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Differentiation;

/// <summary>
/// The derivative of every <see cref="MathFunction"/>, in one table shared by the passes: which values the
/// reverse sweep needs (so normalisation keeps them in temporaries) and the adjoint each argument receives.
/// </summary>
internal static class DerivativeRules
{
    private const double Ln10 = 2.302585092994046;
    private const double Ln2 = 0.6931471805599453;

    /// <summary>True when the rule reads the function's result (cheaper than evaluating it again).</summary>
    public static bool NeedsResult(IrMathCall call, Func<IrExpr, bool> isActive) => call.Function switch
    {
        MathFunction.Exp or MathFunction.Sqrt or MathFunction.Cbrt or MathFunction.Tan or MathFunction.Tanh => true,
        MathFunction.Pow => isActive(call.Arguments[1]),
        _ => false,
    };

    /// <summary>True when the rule reads the argument values.</summary>
    public static bool NeedsArguments(MathFunction function)
        => function is not (MathFunction.Exp or MathFunction.Sqrt or MathFunction.Cbrt or MathFunction.Tan or MathFunction.Tanh)
           && !function.IsPiecewiseConstant();

    /// <summary>
    /// True when the rule's adjoint is <c>seed · (expression)</c> for a single argument, so the seed may be an
    /// arbitrary expression; other rules use the seed more than once and get it bound to a local first.
    /// </summary>
    public static bool UsesSeedOnce(MathFunction function) => function switch
    {
        MathFunction.Abs or MathFunction.Max or MathFunction.Min or MathFunction.Clamp or MathFunction.Pow
            or MathFunction.Atan2 or MathFunction.LogBase => false,
        _ => true,
    };

    /// <summary>
    /// The contribution <c>seed · ∂f/∂argᵢ</c> for every active argument (null for inactive ones).
    /// The call's arguments are atoms when <see cref="NeedsArguments"/>; <paramref name="result"/> is an atom
    /// holding the value when <see cref="NeedsResult"/>.
    /// </summary>
    public static IReadOnlyList<IrExpr?> Adjoints(IrMathCall call, IrExpr? result, IrExpr seed, Func<IrExpr, bool> isActive)
    {
        var args = call.Arguments;
        var t = call.Type;
        var adjoints = new IrExpr?[args.Count];
        IrExpr One() => Ir.Lit(t, 1);
        IrExpr Zero() => Ir.Lit(t, 0);
        IrExpr Result() => result ?? throw new InvalidOperationException($"The rule for {call.Function} needs the result in a variable.");
        IrExpr x = args[0];

        switch (call.Function)
        {
            case MathFunction.Exp:
                adjoints[0] = Ir.Mul(seed, Result());
                break;
            case MathFunction.Log:
                adjoints[0] = Ir.Div(seed, x);
                break;
            case MathFunction.Log10:
                adjoints[0] = Ir.Div(seed, Ir.Mul(x, Ir.Lit(t, Ln10)));
                break;
            case MathFunction.Log2:
                adjoints[0] = Ir.Div(seed, Ir.Mul(x, Ir.Lit(t, Ln2)));
                break;
            case MathFunction.LogBase:
            {
                // log_b(x) = ln x / ln b
                var b = args[1];
                var lnB = Ir.Math(MathFunction.Log, b);
                if (isActive(x)) adjoints[0] = Ir.Div(seed, Ir.Mul(x, lnB));
                if (isActive(b))
                {
                    adjoints[1] = Ir.Neg(Ir.Div(Ir.Mul(seed, Ir.Math(MathFunction.Log, x)), Ir.Mul(Ir.Mul(b, lnB), lnB)));
                }
                break;
            }
            case MathFunction.Sqrt:
                adjoints[0] = Ir.Div(seed, Ir.Mul(Ir.Lit(t, 2), Result()));
                break;
            case MathFunction.Cbrt:
                adjoints[0] = Ir.Div(seed, Ir.Mul(Ir.Mul(Ir.Lit(t, 3), Result()), Result()));
                break;
            case MathFunction.Pow:
            {
                var y = args[1];
                if (isActive(x))
                {
                    // y · x^(y-1): evaluated as a power so that x = 0 stays finite.
                    IrExpr yMinusOne = y is IrLiteral literal ? Ir.Lit(t, literal.Value - 1) : Ir.Sub(y, One());
                    adjoints[0] = Ir.Mul(seed, Ir.Mul(y, Ir.Math(MathFunction.Pow, x, yMinusOne)));
                }
                if (isActive(y))
                {
                    // x^y · ln x, taken as 0 where x ≤ 0 (ln x is undefined there; at x = 0 the limit is 0).
                    var withLog = Ir.Mul(seed, Ir.Mul(Result(), x is IrLiteral b ? Ir.Lit(t, System.Math.Log(b.Value)) : Ir.Math(MathFunction.Log, x)));
                    adjoints[1] = x is IrLiteral constantBase
                        ? (constantBase.Value > 0 ? withLog : Zero())
                        : new IrConditional(t, Ir.Compare(BinaryOp.Greater, x, Zero()), withLog, Zero());
                }
                break;
            }
            case MathFunction.Sin:
                adjoints[0] = Ir.Mul(seed, Ir.Math(MathFunction.Cos, x));
                break;
            case MathFunction.Cos:
                adjoints[0] = Ir.Neg(Ir.Mul(seed, Ir.Math(MathFunction.Sin, x)));
                break;
            case MathFunction.Tan:
                adjoints[0] = Ir.Mul(seed, Ir.Add(One(), Ir.Mul(Result(), Result())));
                break;
            case MathFunction.Asin:
                adjoints[0] = Ir.Div(seed, Ir.Math(MathFunction.Sqrt, Ir.Sub(One(), Ir.Mul(x, x))));
                break;
            case MathFunction.Acos:
                adjoints[0] = Ir.Neg(Ir.Div(seed, Ir.Math(MathFunction.Sqrt, Ir.Sub(One(), Ir.Mul(x, x)))));
                break;
            case MathFunction.Atan:
                adjoints[0] = Ir.Div(seed, Ir.Add(One(), Ir.Mul(x, x)));
                break;
            case MathFunction.Atan2:
            {
                // atan2(y, x): ∂/∂y = x / (x² + y²), ∂/∂x = -y / (x² + y²)
                var y = args[0];
                var xx = args[1];
                IrExpr SumOfSquares() => Ir.Add(Ir.Mul(xx, xx), Ir.Mul(y, y));
                if (isActive(y)) adjoints[0] = Ir.Div(Ir.Mul(seed, xx), SumOfSquares());
                if (isActive(xx)) adjoints[1] = Ir.Neg(Ir.Div(Ir.Mul(seed, y), SumOfSquares()));
                break;
            }
            case MathFunction.Sinh:
                adjoints[0] = Ir.Mul(seed, Ir.Math(MathFunction.Cosh, x));
                break;
            case MathFunction.Cosh:
                adjoints[0] = Ir.Mul(seed, Ir.Math(MathFunction.Sinh, x));
                break;
            case MathFunction.Tanh:
                adjoints[0] = Ir.Mul(seed, Ir.Sub(One(), Ir.Mul(Result(), Result())));
                break;
            case MathFunction.Abs:
                // sign(x) · seed, with the subgradient 0 at x = 0.
                adjoints[0] = new IrConditional(t, Ir.Compare(BinaryOp.Greater, x, Zero()), seed,
                    new IrConditional(t, Ir.Compare(BinaryOp.Less, x, Zero()), Ir.Neg(seed), Zero()));
                break;
            case MathFunction.Max:
            case MathFunction.Min:
            {
                // At a tie the first argument takes the whole derivative.
                var op = call.Function == MathFunction.Max ? BinaryOp.GreaterOrEqual : BinaryOp.LessOrEqual;
                var firstWins = Ir.Compare(op, args[0], args[1]);
                if (isActive(args[0])) adjoints[0] = new IrConditional(t, firstWins, seed, Zero());
                if (isActive(args[1])) adjoints[1] = new IrConditional(t, firstWins, Zero(), seed);
                break;
            }
            case MathFunction.Clamp:
            {
                // Clamp(x, lo, hi): x's derivative inside [lo, hi] (bounds included), the bound's outside it.
                var lo = args[1];
                var hi = args[2];
                var below = Ir.Compare(BinaryOp.Less, x, lo);
                var above = Ir.Compare(BinaryOp.Greater, x, hi);
                if (isActive(x))
                {
                    adjoints[0] = new IrConditional(t, new IrBinary(IrType.Boolean, BinaryOp.ConditionalOr, below, above), Zero(), seed);
                }
                if (isActive(lo)) adjoints[1] = new IrConditional(t, below, seed, Zero());
                if (isActive(hi)) adjoints[2] = new IrConditional(t, above, seed, Zero());
                break;
            }
            default:
                // Piecewise-constant functions contribute nothing.
                break;
        }

        for (int i = 0; i < adjoints.Length; i++)
        {
            if (!isActive(args[i])) adjoints[i] = null;
        }
        return adjoints;
    }
}
