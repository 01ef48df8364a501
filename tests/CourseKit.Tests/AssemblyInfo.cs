// Tests seed the process-wide Rng (as notebooks do) and change kernel thread counts, so test
// classes run one after another; the kernels themselves use both cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
