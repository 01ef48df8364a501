using CourseKit.Cli;

namespace CourseKit.Tests.Cli;

[Collection("Data")]
public class TrainCommandTests
{
    [Fact]
    public void Train_mnist_on_the_sample_writes_a_report_with_curves_confusion_matrix_and_predictions()
    {
        var dir = Directory.CreateTempSubdirectory("coursekit-train-");
        try
        {
            string report = Path.Combine(dir.FullName, "report.html"), weights = Path.Combine(dir.FullName, "w.safetensors");
            int exit = CliApp.Build().Parse(["train", "mnist", "--sample", "--model", "slide", "--epochs", "1", "--out", report, "--save", weights]).Invoke();

            Assert.Equal(0, exit);
            string html = File.ReadAllText(report);
            Assert.Contains("<h2>Loss</h2>", html);
            Assert.Contains("<h2>Confusion matrix (test set)</h2>", html);
            Assert.Contains("\"type\":\"heatmap\"", html);
            Assert.Equal(1, CountOf(html, "plotly.js v"));                      // plotly.js embedded once: the page works offline
            Assert.True(CountOf(html, "class=\"plotly-graph-div\"") >= 4);
            Assert.Contains("test accuracy", html);
            var model = Models.KerasMnist();
            model.Load(weights);                                                // the saved weights fit the model
            Assert.Empty(Directory.GetFiles(dir.FullName, "*.tmp-*"));          // written atomically
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void A_model_that_does_not_fit_the_dataset_is_refused_with_the_reason()
    {
        Assert.Equal(1, CliApp.Build().Parse(["train", "cifar10", "--sample", "--model", "lenet5"]).Invoke());
        var e = Assert.Throws<ArgumentException>(() => CourseKit.Cli.Commands.Recipe.For("cifar10", "lenet5"));
        Assert.Contains("28×28 grey images", e.Message);
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
