using System;
using AutoDiff.Tests.Other;

namespace AutoDiff.Tests.Functions
{
    /// <summary>Calls to other [Differentiable] methods (same class, other class and namespace, recursion).</summary>
    public static partial class Calls
    {
        [Differentiable] public static double Square(double x) => x * x;
        [Differentiable] public static double Product(double x, double y) => x * y;
        [Differentiable] public static float SquareF(float x) => x * x;

        /// <summary>Not [Differentiable]: may only be called with arguments that do not depend on the parameters.</summary>
        public static double Helper(double a, double b) => a * 10 + b;

        [Differentiable] public static double CallSameClass(double x, double y) => Square(x) + Product(x, y);
        [Differentiable] public static double CallSameVariableTwice(double x) => Product(x, x) + Square(Product(x, x));
        [Differentiable] public static double CallWithConstantArgument(double x) => Product(x, 3.0) + Product(2.0, x) + Product(1.5, 2.0) * x;
        [Differentiable] public static double CallWithIntArgument(double x, int n) => PowerRecursive(x, 3) + PowerRecursive(x, n);
        [Differentiable] public static double CallFloatFromDouble(double x) => SquareF((float)x) * x + SquareF(2f);
        [Differentiable] public static double CallOtherNamespace(double x, double y) => Helpers.Cube(x * y) + Helpers.Blend(x, y, 0.25);
        [Differentiable] public static double CallNonDifferentiableWithConstants(double x) => x * Helper(3.0, 1.0) + Helper(0.5, 2);
        [Differentiable] public static double NestedCalls(double x, double y) => Square(Square(x) + Product(y, Square(y)));

        [Differentiable]
        public static double PowerRecursive(double x, int n)
        {
            if (n <= 0) return 1.0;
            return x * PowerRecursive(x, n - 1);
        }

        [Differentiable]
        public static double PowerRecursiveConditional(double x, int n) => n == 0 ? 1.0 : x * PowerRecursiveConditional(x, n - 1);

        [Differentiable]
        public static double CallAsStatementAndInLocals(double x, double y)
        {
            Square(x);
            double s = Square(x - y);
            s = Product(s, y) + Calls.Square(s);
            return s;
        }

        [Differentiable]
        public static double CallWithNamedArguments(double x, double y) => Helpers.Blend(weight: 0.75, b: x, a: y * y);
    }
}

namespace AutoDiff.Tests.Other
{
    public static partial class Helpers
    {
        [Differentiable] public static double Cube(double x) => x * x * x;
        [Differentiable] public static double Blend(double a, double b, double weight) => a * (1 - weight) + b * weight + a * b * weight;
    }
}
