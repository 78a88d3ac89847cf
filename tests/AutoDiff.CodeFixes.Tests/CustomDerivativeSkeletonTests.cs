using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verifier = AutoDiff.CodeFixes.Tests.CodeFixVerifier<AutoDiff.CodeFixes.CustomDerivativeSkeletonCodeFixProvider>;

namespace AutoDiff.CodeFixes.Tests;

/// <summary>ADIFF007 and ADIFF008: the skeleton the diagnostic carries is inserted, and the code compiles without
/// AutoDiff errors, the rules' bodies throwing until they are written.</summary>
public class CustomDerivativeSkeletonTests
{
    private static Task Verify(string title, string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = Verifier.Create(source, fixedSource);
        test.ExpectedDiagnostics.AddRange(expected);
        test.CodeActionVerifier = (action, verifier) => verifier.Equal(title, action.Title);
        return test.RunAsync();
    }

    [Fact]
    public Task MissingRules() => Verifier.Verify("""
        using System;
        using AutoDiff;
        public static partial class C
        {
            [CustomDerivative]
            public static double {|#0:Softplus|}(double x) => Math.Log(1 + Math.Exp(x));

            [Differentiable]
            public static double F(double x) => {|#1:Softplus(x)|} * x;
        }
        """, """
        using System;
        using AutoDiff;
        public static partial class C
        {
            [CustomDerivative]
            public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

            public static double SoftplusBackward(double x, double seed, ref double dX)
            {
                // The pullback of Softplus: add each partial derivative times seed to its adjoint, and return the value.
                // dX += (∂Softplus/∂x) * seed;
                // return Softplus(x);
                throw new NotImplementedException("Write the pullback of Softplus.");
            }

            public static double SoftplusBackwardTangent(double x, double seed, ref double dX, double xTangent, double seedTangent, ref double dXTangent, out double resultTangent)
            {
                // Second order: forward mode over SoftplusBackward (each of its parameters with a tangent). Delete this method once
                // SoftplusBackward is written with code AutoDiff can differentiate: it then derives this one from it.
                throw new NotImplementedException("Write the tangent of SoftplusBackward, or delete SoftplusBackwardTangent.");
            }

            public static double SoftplusTangent(double x, double xTangent, out double resultTangent)
            {
                // The tangent of Softplus: set resultTangent to the sum of each partial derivative times its parameter's tangent,
                // and return the value.
                // resultTangent = (∂Softplus/∂x) * xTangent;
                // return Softplus(x);
                throw new NotImplementedException("Write the tangent of Softplus.");
            }

            [Differentiable]
            public static double F(double x) => Softplus(x) * x;
        }
        """,
        DiagnosticResult.CompilerError("ADIFF011").WithLocation(1).WithLocation(0).WithArguments("Softplus", "'Softplus' has error ADIFF007"),
        DiagnosticResult.CompilerError("ADIFF007").WithLocation(0).WithArguments("Softplus", "'SoftplusBackward' is missing", "static double SoftplusBackward(double x, double seed, ref double dX)"),
        DiagnosticResult.CompilerError("ADIFF007").WithLocation(0).WithArguments("Softplus", "'SoftplusTangent' is missing", "static double SoftplusTangent(double x, double xTangent, out double resultTangent)"));

    [Fact]
    public Task ExternalCall() => Verify("Add a [CustomDerivative] forwarder 'FusedMultiplyAdd' with skeletons of its rules", """
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => {|ADIFF008:Math.FusedMultiplyAdd(x, x, 1.0)|};
        }
        """, """
        using System;
        using AutoDiff;
        public static partial class C
        {
            [Differentiable]
            public static double F(double x) => Math.FusedMultiplyAdd(x, x, 1.0);

            /// <summary>Stands for System.Math.FusedMultiplyAdd in [Differentiable] code, with the derivative rules below.</summary>
            [CustomDerivative(typeof(Math), nameof(Math.FusedMultiplyAdd))]
            internal static double FusedMultiplyAdd(double x, double y, double z) => Math.FusedMultiplyAdd(x, y, z);

            internal static double FusedMultiplyAddBackward(double x, double y, double z, double seed, ref double dX, ref double dY, ref double dZ)
            {
                // The pullback of FusedMultiplyAdd: add each partial derivative times seed to its adjoint, and return the value.
                // dX += (∂FusedMultiplyAdd/∂x) * seed;
                // dY += (∂FusedMultiplyAdd/∂y) * seed;
                // dZ += (∂FusedMultiplyAdd/∂z) * seed;
                // return FusedMultiplyAdd(x, y, z);
                throw new NotImplementedException("Write the pullback of FusedMultiplyAdd.");
            }

            internal static double FusedMultiplyAddTangent(double x, double y, double z, double xTangent, double yTangent, double zTangent, out double resultTangent)
            {
                // The tangent of FusedMultiplyAdd: set resultTangent to the sum of each partial derivative times its parameter's tangent,
                // and return the value.
                // resultTangent = (∂FusedMultiplyAdd/∂x) * xTangent + (∂FusedMultiplyAdd/∂y) * yTangent + (∂FusedMultiplyAdd/∂z) * zTangent;
                // return FusedMultiplyAdd(x, y, z);
                throw new NotImplementedException("Write the tangent of FusedMultiplyAdd.");
            }

            internal static double FusedMultiplyAddBackwardTangent(double x, double y, double z, double seed, ref double dX, ref double dY, ref double dZ, double xTangent, double yTangent, double zTangent, double seedTangent, ref double dXTangent, ref double dYTangent, ref double dZTangent, out double resultTangent)
            {
                // Second order: forward mode over FusedMultiplyAddBackward (each of its parameters with a tangent). Delete this method once
                // FusedMultiplyAddBackward is written with code AutoDiff can differentiate: it then derives this one from it.
                throw new NotImplementedException("Write the tangent of FusedMultiplyAddBackward, or delete FusedMultiplyAddBackwardTangent.");
            }
        }
        """);

    [Fact]
    public Task MissingTangentGoesAfterTheWrittenPullback() => Verify("Add a skeleton of 'SoftplusTangent'", """
        using System;
        using AutoDiff;
        namespace Models
        {
            internal static partial class Activations
            {
                /// <summary>The softplus function.</summary>
                [CustomDerivative]
                internal static double {|#0:Softplus|}(double x) => Math.Log(1 + Math.Exp(x));

                internal static double SoftplusBackward(double x, double seed, ref double dX)
                {
                    dX += seed / (1 + Math.Exp(-x));
                    return Softplus(x);
                }

                [Differentiable]
                internal static double Loss(double x) => {|#1:Softplus(x)|} * x;
            }
        }
        """, """
        using System;
        using AutoDiff;
        namespace Models
        {
            internal static partial class Activations
            {
                /// <summary>The softplus function.</summary>
                [CustomDerivative]
                internal static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

                internal static double SoftplusBackward(double x, double seed, ref double dX)
                {
                    dX += seed / (1 + Math.Exp(-x));
                    return Softplus(x);
                }

                internal static double SoftplusTangent(double x, double xTangent, out double resultTangent)
                {
                    // The tangent of Softplus: set resultTangent to the sum of each partial derivative times its parameter's tangent,
                    // and return the value.
                    // resultTangent = (∂Softplus/∂x) * xTangent;
                    // return Softplus(x);
                    throw new NotImplementedException("Write the tangent of Softplus.");
                }

                [Differentiable]
                internal static double Loss(double x) => Softplus(x) * x;
            }
        }
        """,
        DiagnosticResult.CompilerError("ADIFF007").WithLocation(0)
            .WithArguments("Softplus", "'SoftplusTangent' is missing", "static double SoftplusTangent(double x, double xTangent, out double resultTangent)"),
        DiagnosticResult.CompilerError("ADIFF011").WithLocation(1).WithLocation(0).WithArguments("Softplus", "'Softplus' has error ADIFF007"));

    [Fact]
    public Task OneForwarderForTwoCallsInAFileScopedNamespaceWithoutUsingSystem() => Verifier.Verify("""
        using AutoDiff;

        namespace Models;

        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y) => {|ADIFF008:System.Math.ScaleB(x, 2)|} + {|ADIFF008:System.Math.ScaleB(y, 3)|};
        }
        """, """
        using AutoDiff;

        namespace Models;

        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y) => System.Math.ScaleB(x, 2) + System.Math.ScaleB(y, 3);

            /// <summary>Stands for System.Math.ScaleB in [Differentiable] code, with the derivative rules below.</summary>
            [CustomDerivative(typeof(System.Math), nameof(System.Math.ScaleB))]
            internal static double ScaleB(double x, int n) => System.Math.ScaleB(x, n);

            internal static double ScaleBBackward(double x, int n, double seed, ref double dX)
            {
                // The pullback of ScaleB: add each partial derivative times seed to its adjoint, and return the value.
                // dX += (∂ScaleB/∂x) * seed;
                // return ScaleB(x, n);
                throw new System.NotImplementedException("Write the pullback of ScaleB.");
            }

            internal static double ScaleBTangent(double x, int n, double xTangent, out double resultTangent)
            {
                // The tangent of ScaleB: set resultTangent to the sum of each partial derivative times its parameter's tangent,
                // and return the value.
                // resultTangent = (∂ScaleB/∂x) * xTangent;
                // return ScaleB(x, n);
                throw new System.NotImplementedException("Write the tangent of ScaleB.");
            }

            internal static double ScaleBBackwardTangent(double x, int n, double seed, ref double dX, double xTangent, double seedTangent, ref double dXTangent, out double resultTangent)
            {
                // Second order: forward mode over ScaleBBackward (each of its parameters with a tangent). Delete this method once
                // ScaleBBackward is written with code AutoDiff can differentiate: it then derives this one from it.
                throw new System.NotImplementedException("Write the tangent of ScaleBBackward, or delete ScaleBBackwardTangent.");
            }
        }
        """);

    [Fact]
    public Task WindowsLineEndingsAreKept() => Verify("Add a skeleton of 'CubeTangent'", """
        using AutoDiff;
        public static partial class C
        {
            [CustomDerivative]
            public static double {|ADIFF007:Cube|}(double x) => x * x * x;

            public static double CubeBackward(double x, double seed, ref double dX)
            {
                dX += 3 * x * x * seed;
                return x * x * x;
            }
        }
        """.ReplaceLineEndings("\r\n"), """
        using AutoDiff;
        public static partial class C
        {
            [CustomDerivative]
            public static double Cube(double x) => x * x * x;

            public static double CubeBackward(double x, double seed, ref double dX)
            {
                dX += 3 * x * x * seed;
                return x * x * x;
            }

            public static double CubeTangent(double x, double xTangent, out double resultTangent)
            {
                // The tangent of Cube: set resultTangent to the sum of each partial derivative times its parameter's tangent,
                // and return the value.
                // resultTangent = (∂Cube/∂x) * xTangent;
                // return Cube(x);
                throw new System.NotImplementedException("Write the tangent of Cube.");
            }
        }
        """.ReplaceLineEndings("\r\n"));
}
