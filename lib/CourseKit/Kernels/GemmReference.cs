namespace CourseKit.Kernels;

/// <summary>
/// The readable definition of matrix multiplication: a plain triple loop with the same
/// BLAS <c>sgemm</c> semantics as <see cref="Gemm.Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>. It is slow (no blocking, no SIMD,
/// no threads) and exists so that tests can check the fast kernel against it.
/// </summary>
/// <remarks>
/// Each dot product is accumulated in <c>double</c> and rounded to <c>float</c> once at the end,
/// so the reference is (slightly) more accurate than any float32 kernel; compare with a tolerance.
/// </remarks>
public static class GemmReference
{
    /// <summary>C = alpha·op(A)·op(B) + beta·C for row-major float32 matrices (BLAS sgemm semantics). op(A) is m×k, op(B) is k×n, C is m×n.</summary>
    /// <param name="transA">If true, A is stored k×m and op(A) = Aᵀ, i.e. op(A)[i,p] = a[p*lda + i]; otherwise op(A)[i,p] = a[i*lda + p].</param>
    /// <param name="transB">If true, B is stored n×k and op(B) = Bᵀ, i.e. op(B)[p,j] = b[j*ldb + p]; otherwise op(B)[p,j] = b[p*ldb + j].</param>
    /// <param name="m">Rows of op(A) and of C.</param>
    /// <param name="n">Columns of op(B) and of C.</param>
    /// <param name="k">Columns of op(A) = rows of op(B) (the summed dimension).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">Storage of A.</param>
    /// <param name="lda">Row stride of A as stored (at least its stored width).</param>
    /// <param name="b">Storage of B.</param>
    /// <param name="ldb">Row stride of B as stored (at least its stored width).</param>
    /// <param name="beta">Scale of the old C. When 0, C is overwritten without being read (NaNs in C do not propagate).</param>
    /// <param name="c">Storage of C (m×n, row stride <paramref name="ldc"/>); must not overlap A or B.</param>
    /// <param name="ldc">Row stride of C (at least n).</param>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        Gemm.Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float aip = transA ? a[p * lda + i] : a[i * lda + p];
                    float bpj = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)aip * bpj;
                }
                ref float cij = ref c[i * ldc + j];
                double scaled = alpha == 0 ? 0.0 : alpha * sum;   // BLAS: alpha == 0 means A and B are not used
                cij = beta == 0 ? (float)scaled : (float)(scaled + (double)beta * cij);
            }
        }
    }
}
