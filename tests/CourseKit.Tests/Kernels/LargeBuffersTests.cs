using CourseKit.Kernels;

namespace CourseKit.Tests.Kernels;

/// <summary>
/// <see cref="LargeBuffers"/>: tensors' large buffers, and the full collection that sweeps the dead ones
/// once a budget of them has been allocated, so a training loop's memory stays near its live data.
/// </summary>
public class LargeBuffersTests
{
    [Fact]
    public void Buffers_are_zeros_unless_the_caller_fills_them_itself()
    {
        var zeros = LargeBuffers.Allocate(100_000);
        var uninitialized = LargeBuffers.Allocate(100_000, zeroed: false);
        Assert.Equal(100_000, zeros.Length);
        Assert.Equal(100_000, uninitialized.Length);
        Assert.All(zeros, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_loop_that_drops_its_activations_keeps_the_heap_within_the_budget()
    {
        long live = GC.GetTotalMemory(forceFullCollection: true);
        const int floats = 8 << 20;                                         // 32 MB activations, each dropped at once as in a training step
        long highest = 0;
        for (int step = 0; step < 48; step++)                              // 1.5 GB in all
        {
            LargeBuffers.Allocate(floats, zeroed: false);
            highest = Math.Max(highest, GC.GetTotalMemory(forceFullCollection: false));
        }
        long bound = live + Math.Max(LargeBuffers.MinBudget, live / 2) + 2L * floats * sizeof(float);
        Assert.True(highest <= bound, $"the heap reached {highest >> 20} MB; live data {live >> 20} MB, so at most {bound >> 20} MB was expected");
    }

    [Fact]
    public void A_dead_buffer_is_handed_out_again_and_a_live_one_never_is()
    {
        const int length = 123_457;                                         // a length no other test uses
        var kept = LargeBuffers.Allocate(length, zeroed: false);
        Array.Fill(kept, 42f);
        DropOneFilledWithSevens(length);
        GC.Collect();
        GC.WaitForPendingFinalizers();                                      // the dead buffer's companion pools it

        var recycled = LargeBuffers.Allocate(length, zeroed: false);
        Assert.NotSame(kept, recycled);
        Assert.All(recycled, v => Assert.Equal(7f, v));                     // the dropped buffer itself, as it was left
        Array.Fill(recycled, 7f);
        DropOneFilledWithSevens(length);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.All(LargeBuffers.Allocate(length), v => Assert.Equal(0f, v)); // zeroed on request, recycled or not
        Assert.All(kept, v => Assert.Equal(42f, v));                        // never handed out while referenced
        GC.KeepAlive(recycled);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static void DropOneFilledWithSevens(int length) => Array.Fill(LargeBuffers.Allocate(length, zeroed: false), 7f);
    }
}
