using Xunit.Sdk;

namespace CourseKit.Tests.PyTorchParity;

/// <summary>The comparison every parity test uses: |actual − expected| ≤ 1e-4 · max(1, |expected|) element by element.</summary>
public static class Parity
{
    /// <summary>The relative tolerance of the acceptance criterion.</summary>
    public const float Tolerance = 1e-4f;

    /// <summary>
    /// Fails unless <paramref name="actual"/> has <paramref name="expected"/>'s shape and every element is within
    /// <see cref="Tolerance"/>; the message names the fixture, the quantity and the worst element with its index.
    /// </summary>
    public static void Close(Tensor? expected, Tensor? actual, string fixture, string what)
    {
        if (expected is null) throw new XunitException($"{fixture}: expected {what} is missing from the fixture.");
        if (actual is null) throw new XunitException($"{fixture}: CourseKit produced no {what} (null) but PyTorch has shape {expected.Shape}.");
        if (actual.Shape != expected.Shape)
            throw new XunitException($"{fixture}: {what} has shape {actual.Shape} in CourseKit but {expected.Shape} in PyTorch.");

        float[] a = actual.ToArray(), b = expected.ToArray();
        int worst = -1, bad = 0;
        double worstExcess = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double excess = Math.Abs((double)a[i] - b[i]) / Allowed(b[i]);
            if (!(excess <= 1)) bad++;                                   // NaN counts as a mismatch
            if (!(excess <= worstExcess)) { worst = i; worstExcess = double.IsNaN(excess) ? double.PositiveInfinity : excess; }
        }
        if (bad == 0) return;

        throw new XunitException(
            $"{fixture}: {what} differs from PyTorch in {bad} of {a.Length} elements; worst at index [{string.Join(", ", Unravel(worst, expected.Shape))}]: " +
            $"CourseKit {a[worst]:R}, PyTorch {b[worst]:R} (|diff| = {Math.Abs((double)a[worst] - b[worst]):G4}, allowed {Allowed(b[worst]):G4}).");
    }

    private static double Allowed(float expected) => Tolerance * Math.Max(1.0, Math.Abs(expected));

    /// <summary>Compares the fixture's tensor <paramref name="name"/> with <paramref name="actual"/>.</summary>
    public static void Close(PyTorchFixture fixture, string name, Tensor? actual) => Close(fixture[name], actual, fixture.Name, name);

    /// <summary>
    /// The standard layer check: loads the fixture's parameters into <paramref name="module"/>, runs it on the
    /// fixture's input, back-propagates the fixture's grad_output, and compares the output, the input gradient
    /// and every parameter gradient with PyTorch's.
    /// </summary>
    public static void CheckModule(PyTorchFixture fixture, Module module)
    {
        var parameters = module.NamedParameters().ToList();
        Assert.Equal(fixture.ParameterNames.Order(), parameters.Select(p => p.Name).Order());
        using (Tensor.NoGrad())
            foreach (var (name, p) in parameters) p.CopyFrom(fixture[name]);

        var input = fixture["input"].WithGrad();
        var output = module.Call(input);
        output.Backward(fixture["grad_output"]);

        Close(fixture, "output", output);
        Close(fixture, "grad_input", input.Grad);
        foreach (var (name, p) in parameters) Close(fixture, "grad_" + name, p.Grad);
    }

    private static IEnumerable<int> Unravel(int flat, IReadOnlyList<int> dims)
    {
        var index = new int[dims.Count];
        for (int d = dims.Count - 1; d >= 0; d--) { index[d] = flat % dims[d]; flat /= dims[d]; }
        return index;
    }
}
