using CourseKit.Kernels;

namespace CourseKit;

public partial class Tensor
{
    /// <summary>
    /// Matrix product. (m, k)·(k, n) → (m, n); batched (B, m, k)·(B, k, n) → (B, m, n), where either
    /// side may be a single matrix shared by the batch; a 1-D vector is treated as a row (left) or a
    /// column (right) and that axis is dropped from the result, as in PyTorch.
    /// </summary>
    public Tensor MatMul(Tensor other)
    {
        if (Rank == 0 || other.Rank == 0)
            throw new ShapeException($"MatMul: both operands need at least one axis; got {Shape} and {other.Shape}.");
        if (Rank == 1) return Unsqueeze(0).MatMul(other).Squeeze(other.Rank == 1 ? -1 : -2);
        if (other.Rank == 1) return MatMul(other.Unsqueeze(1)).Squeeze(-1);
        if (Rank > 3 || other.Rank > 3)
            throw new ShapeException($"MatMul supports up to one batch axis; got {Shape} and {other.Shape}. Reshape to (B, m, k) first.");
        int m = Size(-2), k = Size(-1), k2 = other.Size(-2), n = other.Size(-1);
        if (k != k2)
            throw new ShapeException($"MatMul: inner sizes differ: {Shape} · {other.Shape} needs {k} = {k2} (columns of the left = rows of the right).");
        int batchA = Rank == 3 ? Size(0) : 1, batchB = other.Rank == 3 ? other.Size(0) : 1;
        if (batchA != batchB && batchA != 1 && batchB != 1)
            throw new ShapeException($"MatMul: batch sizes {batchA} and {batchB} differ in {Shape} · {other.Shape}.");
        int batch = Math.Max(batchA, batchB);
        bool batched = Rank == 3 || other.Rank == 3;
        var result = batched ? Zeros(batch, m, n) : Zeros(m, n);
        var A = Operand(this); var B = Operand(other);
        for (int i = 0; i < batch; i++)
        {
            int offA = A.offset + (batchA == 1 ? 0 : i * A.batchStride);
            int offB = B.offset + (batchB == 1 ? 0 : i * B.batchStride);
            Gemm.Sgemm(A.transposed, B.transposed, m, n, k, 1f,
                A.data.AsSpan(offA), A.ld, B.data.AsSpan(offB), B.ld, 0f, result.Storage.AsSpan(i * m * n, m * n), n);
        }
        var a = this;
        return Record(result, "MatMul", [a, other], g => [g.MatMul(other.T), a.T.MatMul(g)]);   // dA = G·Bᵀ, dB = Aᵀ·G
    }

    /// <summary>How GEMM can read a matrix (or stack of matrices) without copying: directly, or as a transposed view.</summary>
    private static (float[] data, int offset, int ld, bool transposed, int batchStride) Operand(Tensor t)
    {
        int rows = t.Size(-2), cols = t.Size(-1);
        var s = t.StrideArray;
        int r = t.Rank;
        int batchStride = r == 3 ? s[0] : 0;
        bool batchOk = r == 2 || t.Size(0) == 1 || batchStride >= rows * cols;
        if (batchOk && (cols == 1 || s[r - 1] == 1) && s[r - 2] >= Math.Max(1, cols) && (r == 2 || batchStride >= s[r - 2] * rows || t.Size(0) == 1))
            return (t.Storage, t.Offset, Math.Max(1, s[r - 2]), false, batchStride);
        if (batchOk && (rows == 1 || s[r - 2] == 1) && s[r - 1] >= Math.Max(1, rows) && (r == 2 || batchStride >= s[r - 1] * cols || t.Size(0) == 1))
            return (t.Storage, t.Offset, Math.Max(1, s[r - 1]), true, batchStride);
        var c = t.Materialize();
        return (c.Storage, c.Offset, cols, false, rows * cols);
    }
}
