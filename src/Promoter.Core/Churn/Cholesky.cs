namespace Promoter.Core.Churn;

/// <summary>In-place Cholesky factorisation A = L·Lᵀ of a small dense symmetric matrix (Golub &amp; Van Loan, §4.2).</summary>
internal static class Cholesky
{
    /// <summary>
    /// Overwrites the lower triangle of the row-major d × d matrix <paramref name="a"/> with L. False when a pivot is not
    /// positive (A is not positive definite to working precision); the matrix is then partly overwritten.
    /// </summary>
    public static bool Factor(double[] a, int d)
    {
        for (var j = 0; j < d; j++)
        {
            var pivot = a[(j * d) + j];
            for (var k = 0; k < j; k++)
            {
                pivot -= a[(j * d) + k] * a[(j * d) + k];
            }

            if (!(pivot > 0.0) || !double.IsFinite(pivot))
            {
                return false;
            }

            var ljj = Math.Sqrt(pivot);
            a[(j * d) + j] = ljj;
            for (var i = j + 1; i < d; i++)
            {
                var sum = a[(i * d) + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= a[(i * d) + k] * a[(j * d) + k];
                }

                a[(i * d) + j] = sum / ljj;
            }
        }

        return true;
    }

    /// <summary>Solves L·Lᵀ·x = b given the factor from <see cref="Factor"/>.</summary>
    public static void Solve(double[] l, int d, double[] b, double[] x)
    {
        for (var i = 0; i < d; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[(i * d) + k] * x[k];
            }

            x[i] = sum / l[(i * d) + i];
        }

        for (var i = d - 1; i >= 0; i--)
        {
            var sum = x[i];
            for (var k = i + 1; k < d; k++)
            {
                sum -= l[(k * d) + i] * x[k];
            }

            x[i] = sum / l[(i * d) + i];
        }
    }
}
