namespace CourseKit.Tests.Data;

public sealed class IrisTests
{
    [Fact]
    public void Iris_has_150_flowers_50_of_each_species()
    {
        var (features, labels, classNames, featureNames) = Iris.Load();
        Assert.Equal(new Shape(150, 4), features.Shape);
        Assert.Equal(new Shape(150), labels.Shape);
        Assert.Equal(["setosa", "versicolor", "virginica"], classNames);
        Assert.Equal(["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"], featureNames);
        Assert.Equal([50, 50, 50], labels.ToArray().GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()));
    }

    [Fact]
    public void The_first_flower_is_a_setosa_of_5_1_3_5_1_4_0_2_and_the_last_a_virginica()
    {
        var iris = Iris.Load();
        Assert.Equal(new[] { 5.1f, 3.5f, 1.4f, 0.2f }, iris.Features[0].ToArray());
        Assert.Equal("setosa", iris.ClassNames[(int)iris.Labels[0].Item()]);
        Assert.Equal(new[] { 5.9f, 3.0f, 5.1f, 1.8f }, iris.Features[149].ToArray());
        Assert.Equal("virginica", iris.ClassNames[(int)iris.Labels[149].Item()]);
    }

    [Fact]
    public void Iris_has_Fishers_values_with_the_published_means()
    {
        var iris = Iris.Load();
        var mean = iris.Features.Mean([0]).ToArray();
        Assert.Equal([5.8433, 3.0573, 3.7580, 1.1993], mean.Select(m => Math.Round(m, 4)));
        Assert.Equal(new[] { 4.9f, 3.1f, 1.5f, 0.2f }, iris.Features[34].ToArray());   // row 35: the UCI copy has 0.1 here
        Assert.Equal(new[] { 4.9f, 3.6f, 1.4f, 0.1f }, iris.Features[37].ToArray());   // row 38: the UCI copy has 3.1 and 1.5
    }
}
