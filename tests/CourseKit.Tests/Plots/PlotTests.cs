using System.Text.Json;
using Plotly.NET;

namespace CourseKit.Tests.Plots;

public class PlotTests
{
    /// <summary>The chart as plotly.js sees it: { data: [traces], layout: {…} }.</summary>
    private static JsonElement Json(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart)).RootElement;

    private static JsonElement[] Traces(GenericChart chart) => Json(chart).GetProperty("data").EnumerateArray().ToArray();

    private static double[] Numbers(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    [Fact]
    public void Curves_draws_one_line_per_series_over_epochs_from_1()
    {
        var chart = Plot.Curves("Loss", ("train", [2.5, 1.25, 0.5]), ("validation", [2.75, 1.5, 0.75]));
        var traces = Traces(chart);
        Assert.Equal(2, traces.Length);
        Assert.All(traces, t => Assert.Equal("scatter", t.GetProperty("type").GetString()));
        Assert.Equal("train", traces[0].GetProperty("name").GetString());
        Assert.Equal([1.0, 2, 3], Numbers(traces[0].GetProperty("x")));
        Assert.Equal([2.75, 1.5, 0.75], Numbers(traces[1].GetProperty("y")));
        Assert.Equal("Loss", Json(chart).GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void LossCurves_leaves_out_a_missing_validation_series()
    {
        Assert.Single(Traces(Plot.LossCurves([1.0, 0.5])));
        Assert.Equal(2, Traces(Plot.AccuracyCurves([0.5, 0.75], [0.25, 0.5])).Length);
    }

    [Fact]
    public void Images_shows_each_image_of_the_batch_as_a_png_in_its_own_subplot()
    {
        var images = Tensor.Arange(2 * 1 * 8 * 8).Reshape(2, 1, 8, 8);
        var chart = Plot.Images(images, ["zero", "one"], columns: 2);
        var traces = Traces(chart);
        Assert.Equal(2, traces.Length);
        Assert.All(traces, t => Assert.Equal("image", t.GetProperty("type").GetString()));
        Assert.StartsWith("data:image/png;base64,", traces[0].GetProperty("source").GetString());
        Assert.Equal("x2", traces[1].GetProperty("xaxis").GetString());
        var layout = Json(chart).GetProperty("layout");
        Assert.Equal("one", layout.GetProperty("annotations")[1].GetProperty("text").GetString());
        var left = layout.GetProperty("xaxis").GetProperty("domain");                 // two columns side by side
        var right = layout.GetProperty("xaxis2").GetProperty("domain");
        Assert.True(left[1].GetDouble() <= right[0].GetDouble());
    }

    [Fact]
    public void Images_rejects_a_batch_with_two_channels()
    {
        var e = Assert.Throws<ShapeException>(() => Plot.Images(Tensor.Zeros(4, 2, 8, 8)));
        Assert.Contains("(4, 2, 8, 8)", e.Message);
    }

    [Fact]
    public void Predictions_marks_right_answers_with_a_tick_and_wrong_ones_with_label_arrow_prediction()
    {
        var chart = Plot.Predictions(Tensor.Rand(2, 3, 8, 8), labels: [7, 3], predictions: [7, 8], Mnist.ClassNames);
        var layout = Json(chart).GetProperty("layout");
        Assert.Equal("7 ✓", layout.GetProperty("annotations")[0].GetProperty("text").GetString());
        Assert.Equal("3 → 8 ✗", layout.GetProperty("annotations")[1].GetProperty("text").GetString());
        Assert.Equal("1 of 2 correct", layout.GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void Filters_of_a_colour_input_layer_are_colour_pictures_one_per_filter()
    {
        var traces = Traces(Plot.Filters(new Conv2d(3, 6, 5)));
        Assert.Equal(6, traces.Length);
        Assert.All(traces, t => Assert.Equal("image", t.GetProperty("type").GetString()));
    }

    [Fact]
    public void Filters_of_a_layer_with_16_inputs_show_every_kernel_in_grey()
    {
        Assert.Equal(4 * 16, Traces(Plot.Filters(new Conv2d(16, 4, 3))).Length);
    }

    [Fact]
    public void ActivationMaps_shows_every_channel_of_the_chosen_layer_and_restores_the_mode()
    {
        var conv = new Conv2d(1, 4, 3);
        var model = new Sequential(conv, new ReLU(), new MaxPool2d(2));
        var traces = Traces(Plot.ActivationMaps(model, conv, Tensor.Rand(1, 10, 10)));
        Assert.Equal(4, traces.Length);
        Assert.All(traces, t => Assert.Equal("heatmap", t.GetProperty("type").GetString()));
        Assert.Equal(8, traces[0].GetProperty("z").GetArrayLength());                 // 10 − 3 + 1 rows
        Assert.True(model.Training);
        Assert.Null(Module.ForwardHook);
    }

    [Fact]
    public void ActivationMaps_shows_exactly_what_the_layer_computes()
    {
        var conv = new Conv2d(1, 2, 3);
        var input = Tensor.Rand(1, 1, 6, 6);
        var expected = conv.Call(input).Detach();
        var z = Traces(Plot.ActivationMaps(new Sequential(conv, new ReLU()), conv, input))[1].GetProperty("z");
        Assert.Equal(expected[0, 1, 2, 3], (float)z[2][3].GetDouble(), 1e-5f);
    }

    [Fact]
    public void ActivationMaps_of_a_layer_outside_the_model_is_a_clear_error()
    {
        var e = Assert.Throws<ArgumentException>(() => Plot.ActivationMaps(new Sequential(new Conv2d(1, 2, 3)), new ReLU(), Tensor.Rand(1, 6, 6)));
        Assert.Contains("not called", e.Message);
    }

    [Fact]
    public void ConfusionMatrix_is_a_heatmap_with_true_classes_as_rows()
    {
        var chart = Plot.ConfusionMatrix(new[,] { { 5, 1 }, { 2, 4 } }, ["cat", "dog"]);
        var trace = Traces(chart).Single();
        Assert.Equal("heatmap", trace.GetProperty("type").GetString());
        Assert.Equal([2.0, 4], Numbers(trace.GetProperty("z")[1]));
        Assert.Equal("dog", trace.GetProperty("y")[1].GetString());
        Assert.Contains("accuracy 75.0%", Json(chart).GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void Histogram_and_overlaid_histograms_carry_the_values_and_bins()
    {
        var single = Traces(Plot.Histogram(Tensor.Of(0.5f, 1.5f, 2.5f), "weights", bins: 3)).Single();
        Assert.Equal("histogram", single.GetProperty("type").GetString());
        Assert.Equal([0.5, 1.5, 2.5], Numbers(single.GetProperty("x")));
        Assert.Equal(3, single.GetProperty("nbinsx").GetInt32());

        var overlay = Plot.Histograms(("before BatchNorm", Tensor.Randn(100) * 3 + 5), ("after BatchNorm", Tensor.Randn(100)));
        Assert.Equal(["before BatchNorm", "after BatchNorm"], Traces(overlay).Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("overlay", Json(overlay).GetProperty("layout").GetProperty("barmode").GetString());
    }

    [Fact]
    public void ActivationFunctions_draws_the_five_functions_of_the_lecture()
    {
        var traces = Traces(Plot.ActivationFunctions());
        Assert.Equal(["sigmoid", "tanh", "ReLU", "leaky ReLU (0.1)", "ELU (α=1)"], traces.Select(t => t.GetProperty("name").GetString()));
        var x = Numbers(traces[0].GetProperty("x"));
        Assert.Equal(-5, x[0]);
        Assert.Equal(5, x[^1]);
        Assert.Equal(0.5, Numbers(traces[0].GetProperty("y"))[100], 1e-6);            // sigmoid(0)
        Assert.Equal(-0.5, Numbers(traces[3].GetProperty("y"))[0], 1e-6);             // 0.1 · (−5)
    }

    [Fact]
    public void LearningRateSchedule_plots_the_rate_of_every_epoch()
    {
        var optimizer = new SGD([new Parameter(Tensor.Zeros(1))], lr: 0.1f);
        var trace = Traces(Plot.LearningRateSchedule(new StepLR(optimizer, stepSize: 2, gamma: 0.5f), epochs: 5)).Single();
        Assert.Equal([0.0, 1, 2, 3, 4], Numbers(trace.GetProperty("x")));
        Assert.Equal([0.1, 0.1, 0.05, 0.05, 0.025], Numbers(trace.GetProperty("y")));
        Assert.Equal(0.1f, optimizer.LearningRate);
    }

    /// <summary>A two-epoch run with a validation set, as Trainer.Fit records it.</summary>
    internal static History TwoEpochHistory()
    {
        var history = new History();
        history.Add(new EpochRecord(1, 0.75f, 0.5f, 0.875f, 0.25f, 0.1f, 1.0));
        history.Add(new EpochRecord(2, 0.5f, 0.75f, 0.625f, 0.5f, 0.1f, 1.0));
        return history;
    }

    [Fact]
    public void LossCurves_of_a_history_draw_training_and_validation_loss()
    {
        var traces = Traces(Plot.LossCurves(TwoEpochHistory()));
        Assert.Equal([0.75, 0.5], Numbers(traces[0].GetProperty("y")));
        Assert.Equal([0.875, 0.625], Numbers(traces[1].GetProperty("y")));
        Assert.Equal([0.25, 0.5], Numbers(Traces(Plot.AccuracyCurves(TwoEpochHistory()))[1].GetProperty("y")));
    }

    [Fact]
    public void Curves_leave_a_gap_where_a_value_is_NaN()
    {
        var y = Traces(Plot.Curves("Accuracy", ("train", [0.5, double.NaN, 0.75])))[0].GetProperty("y");
        Assert.Equal(JsonValueKind.Null, y[1].ValueKind);
    }
}
