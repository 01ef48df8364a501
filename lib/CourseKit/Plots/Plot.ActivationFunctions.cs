using Plotly.NET;

namespace CourseKit;

public static partial class Plot
{
    /// <summary>
    /// The activation functions of the lecture on [-5, 5], computed with the library's own tensor
    /// operations: sigmoid, tanh, ReLU, leaky ReLU (slope 0.1 so that it is visible) and ELU (α = 1).
    /// </summary>
    public static GenericChart ActivationFunctions()
    {
        var x = Tensor.Linspace(-5, 5, 201);
        (string Name, Tensor Y)[] functions =
        [
            ("sigmoid", x.Sigmoid()),
            ("tanh", x.Tanh()),
            ("ReLU", x.Relu()),
            ("leaky ReLU (0.1)", x.LeakyRelu(0.1f)),
            ("ELU (α=1)", x.Elu(1f)),
        ];
        var xs = Figure.Doubles(x);
        var traces = functions.Select(f => Figure.Trace("scatter", ("name", f.Name), ("mode", "lines"), ("x", xs), ("y", Figure.Doubles(f.Y))));
        return Figure.Chart(traces, Figure.Layout(
            ("title", Figure.Title("Activation functions")), ("xaxis", Figure.Axis("x")), ("yaxis", Figure.Axis("f(x)"))));
    }
}
