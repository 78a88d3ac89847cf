using System;

namespace AutoDiff.Optimization;

/// <summary>
/// The line search of Moré and Thuente (1994), "Line search algorithms with guaranteed sufficient decrease": finds a
/// step satisfying the strong Wolfe conditions
/// <c>φ(α) ≤ φ(0) + ftol·α·φ'(0)</c> and <c>|φ'(α)| ≤ gtol·|φ'(0)|</c> by safeguarded cubic and quadratic
/// interpolation on an interval of uncertainty. Written after the structure of MINPACK-2's <c>dcsrch</c>/<c>dcstep</c>
/// as a reverse-communication state machine: <see cref="Start"/>, then <see cref="Next"/> after each evaluation.
/// </summary>
internal sealed class MoreThuente
{
    private const double ExtrapolateLower = 1.1;
    private const double ExtrapolateUpper = 4.0;

    private readonly double _ftol;
    private readonly double _gtol;
    private readonly double _xtol;
    private readonly double _stpMin;
    private readonly double _stpMax;

    private bool _bracketed;
    private bool _stage1;
    private double _finit, _ginit, _gtest;
    private double _stx, _fx, _gx;
    private double _sty, _fy, _gy;
    private double _stmin, _stmax;
    private double _width, _width1;

    public MoreThuente(double ftol, double gtol, double xtol, double stpMin, double stpMax)
    {
        _ftol = ftol;
        _gtol = gtol;
        _xtol = xtol;
        _stpMin = stpMin;
        _stpMax = stpMax;
    }

    public enum Status
    {
        /// <summary>Evaluate φ and φ' at the returned step and call <see cref="Next"/>.</summary>
        Evaluate,

        /// <summary>The step just evaluated satisfies the strong Wolfe conditions.</summary>
        Converged,

        /// <summary>No further progress is possible (rounding errors, interval too small, step at a bound).</summary>
        Warning,
    }

    /// <summary>Begins a search from φ(0) = <paramref name="f0"/>, φ'(0) = <paramref name="g0"/> &lt; 0.</summary>
    public void Start(double f0, double g0, ref double stp)
    {
        stp = Math.Clamp(stp, _stpMin, _stpMax);
        _bracketed = false;
        _stage1 = true;
        _finit = f0;
        _ginit = g0;
        _gtest = _ftol * g0;
        _width = _stpMax - _stpMin;
        _width1 = 2 * _width;
        _stx = 0; _fx = f0; _gx = g0;
        _sty = 0; _fy = f0; _gy = g0;
        _stmin = 0;
        _stmax = stp + ExtrapolateUpper * stp;
    }

    /// <summary>
    /// Takes φ(<paramref name="stp"/>) = <paramref name="f"/> and φ'(<paramref name="stp"/>) = <paramref name="g"/>;
    /// returns whether to stop, and otherwise the next trial step in <paramref name="stp"/>.
    /// </summary>
    public Status Next(double f, double g, ref double stp)
    {
        double ftest = _finit + stp * _gtest;
        if (_stage1 && f <= ftest && g >= 0)
            _stage1 = false;

        // Convergence first: an acceptable step is acceptable whatever else holds.
        if (f <= ftest && Math.Abs(g) <= _gtol * -_ginit)
            return Status.Converged;
        if (_bracketed && (stp <= _stmin || stp >= _stmax))
            return Status.Warning; // rounding errors prevent progress
        if (_bracketed && _stmax - _stmin <= _xtol * _stmax)
            return Status.Warning; // interval of uncertainty below xtol
        if (stp == _stpMax && f <= ftest && g <= _gtest)
            return Status.Warning; // at the largest step allowed
        if (stp == _stpMin && (f > ftest || g >= _gtest))
            return Status.Warning; // at the smallest step allowed

        // In the first stage, while the sufficient-decrease condition fails at the best point, work on the modified
        // function ψ(α) = φ(α) − φ(0) − ftol·α·φ'(0), whose minimisers satisfy sufficient decrease.
        if (_stage1 && f <= _fx && f > ftest)
        {
            double fm = f - stp * _gtest, gm = g - _gtest;
            double fxm = _fx - _stx * _gtest, gxm = _gx - _gtest;
            double fym = _fy - _sty * _gtest, gym = _gy - _gtest;
            Step(ref _stx, ref fxm, ref gxm, ref _sty, ref fym, ref gym, ref stp, fm, gm, ref _bracketed, _stmin, _stmax);
            _fx = fxm + _stx * _gtest; _gx = gxm + _gtest;
            _fy = fym + _sty * _gtest; _gy = gym + _gtest;
        }
        else
        {
            Step(ref _stx, ref _fx, ref _gx, ref _sty, ref _fy, ref _gy, ref stp, f, g, ref _bracketed, _stmin, _stmax);
        }

        // Force a sufficient shrinking of the interval of uncertainty.
        if (_bracketed)
        {
            if (Math.Abs(_sty - _stx) >= 0.66 * _width1)
                stp = _stx + 0.5 * (_sty - _stx);
            _width1 = _width;
            _width = Math.Abs(_sty - _stx);
            _stmin = Math.Min(_stx, _sty);
            _stmax = Math.Max(_stx, _sty);
        }
        else
        {
            _stmin = stp + ExtrapolateLower * (stp - _stx);
            _stmax = stp + ExtrapolateUpper * (stp - _stx);
        }

        stp = Math.Clamp(stp, _stpMin, _stpMax);

        // Without further progress possible, fall back to the best step so far.
        if (_bracketed && (stp <= _stmin || stp >= _stmax || _stmax - _stmin <= _xtol * _stmax))
            stp = _stx;
        return Status.Evaluate;
    }

    /// <summary>
    /// One safeguarded step (MINPACK-2 <c>dcstep</c>): updates the interval [stx, sty] that brackets a step
    /// satisfying the conditions, and computes the next trial step.
    /// </summary>
    private static void Step(ref double stx, ref double fx, ref double dx, ref double sty, ref double fy, ref double dy,
        ref double stp, double fp, double dp, ref bool bracketed, double stpMin, double stpMax)
    {
        double sgnd = dp * Math.Sign(dx);
        double stpf;

        if (fp > fx)
        {
            // Case 1: higher function value; the minimum is bracketed. Cubic or mid cubic-quadratic step.
            double theta = 3 * (fx - fp) / (stp - stx) + dx + dp;
            double s = Max3(Math.Abs(theta), Math.Abs(dx), Math.Abs(dp));
            double gamma = s * Math.Sqrt(Math.Max(0, (theta / s) * (theta / s) - (dx / s) * (dp / s)));
            if (stp < stx) gamma = -gamma;
            double p = (gamma - dx) + theta;
            double q = ((gamma - dx) + gamma) + dp;
            double r = p / q;
            double stpc = stx + r * (stp - stx);
            double stpq = stx + dx / ((fx - fp) / (stp - stx) + dx) / 2 * (stp - stx);
            stpf = Math.Abs(stpc - stx) < Math.Abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
            bracketed = true;
        }
        else if (sgnd < 0)
        {
            // Case 2: lower value, derivatives of opposite sign; bracketed. Cubic or secant step.
            double theta = 3 * (fx - fp) / (stp - stx) + dx + dp;
            double s = Max3(Math.Abs(theta), Math.Abs(dx), Math.Abs(dp));
            double gamma = s * Math.Sqrt(Math.Max(0, (theta / s) * (theta / s) - (dx / s) * (dp / s)));
            if (stp > stx) gamma = -gamma;
            double p = (gamma - dp) + theta;
            double q = ((gamma - dp) + gamma) + dx;
            double r = p / q;
            double stpc = stp + r * (stx - stp);
            double stpq = stp + dp / (dp - dx) * (stx - stp);
            stpf = Math.Abs(stpc - stp) > Math.Abs(stpq - stp) ? stpc : stpq;
            bracketed = true;
        }
        else if (Math.Abs(dp) < Math.Abs(dx))
        {
            // Case 3: lower value, same-sign derivative decreasing in magnitude. The cubic step is used only if it
            // tends to infinity in the direction of the step or its minimum lies beyond stp.
            double theta = 3 * (fx - fp) / (stp - stx) + dx + dp;
            double s = Max3(Math.Abs(theta), Math.Abs(dx), Math.Abs(dp));
            double gamma = s * Math.Sqrt(Math.Max(0, (theta / s) * (theta / s) - (dx / s) * (dp / s)));
            if (stp > stx) gamma = -gamma;
            double p = (gamma - dp) + theta;
            double q = (gamma + (dx - dp)) + gamma;
            double r = p / q;
            double stpc;
            if (r < 0 && gamma != 0)
                stpc = stp + r * (stx - stp);
            else if (stp > stx)
                stpc = stpMax;
            else
                stpc = stpMin;
            double stpq = stp + dp / (dp - dx) * (stx - stp);

            if (bracketed)
            {
                stpf = Math.Abs(stpc - stp) < Math.Abs(stpq - stp) ? stpc : stpq;
                stpf = stp > stx ? Math.Min(stp + 0.66 * (sty - stp), stpf) : Math.Max(stp + 0.66 * (sty - stp), stpf);
            }
            else
            {
                stpf = Math.Abs(stpc - stp) > Math.Abs(stpq - stp) ? stpc : stpq;
                stpf = Math.Clamp(stpf, stpMin, stpMax);
            }
        }
        else
        {
            // Case 4: lower value, same-sign derivative not decreasing in magnitude.
            if (bracketed)
            {
                double theta = 3 * (fp - fy) / (sty - stp) + dy + dp;
                double s = Max3(Math.Abs(theta), Math.Abs(dy), Math.Abs(dp));
                double gamma = s * Math.Sqrt(Math.Max(0, (theta / s) * (theta / s) - (dy / s) * (dp / s)));
                if (stp > sty) gamma = -gamma;
                double p = (gamma - dp) + theta;
                double q = ((gamma - dp) + gamma) + dy;
                double r = p / q;
                stpf = stp + r * (sty - stp);
            }
            else
            {
                stpf = stp > stx ? stpMax : stpMin;
            }
        }

        // Update the interval that contains a minimiser.
        if (fp > fx)
        {
            sty = stp; fy = fp; dy = dp;
        }
        else
        {
            if (sgnd < 0)
            {
                sty = stx; fy = fx; dy = dx;
            }
            stx = stp; fx = fp; dx = dp;
        }

        stp = stpf;
    }

    private static double Max3(double a, double b, double c) => Math.Max(a, Math.Max(b, c));
}
