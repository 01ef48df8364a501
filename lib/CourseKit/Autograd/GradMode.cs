namespace CourseKit;

/// <summary>
/// Whether operations are being recorded for backpropagation. On by default; a
/// <see cref="Tensor.NoGrad"/> scope turns it off on the current thread (evaluation, optimiser steps).
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;

    /// <summary>True when new operations are recorded for <see cref="Tensor.Backward"/>.</summary>
    public static bool IsEnabled => _disabledDepth == 0;

    internal static IDisposable Disable()
    {
        _disabledDepth++;
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        private bool _disposed;
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _disabledDepth--;
        }
    }
}
