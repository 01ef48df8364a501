namespace CourseKit;

public static partial class Models
{
    /// <summary>
    /// VGG-16 (Simonyan &amp; Zisserman, 2014), configuration D, for 3×224×224 images: thirteen 3×3
    /// convolutions (padding 1, so only the 2×2 poolings shrink the image) in five blocks of 64, 128, 256,
    /// 512 and 512 channels, then three fully-connected layers — 138,357,544 parameters
    /// (14,714,688 in the convolutions, 123,642,856 in the fully-connected layers).
    /// <code>
    /// [conv64 ×2, pool] 112² → [conv128 ×2, pool] 56² → [conv256 ×3, pool] 28² → [conv512 ×3, pool] 14²
    /// → [conv512 ×3, pool] 7² → 512·7·7 = 25088 → FC 4096 → FC 4096 → FC 1000   (dropout 0.5 after the first two)
    /// </code>
    /// </summary>
    public static Sequential Vgg16()
    {
        var model = new Sequential();
        int channels = 3;
        foreach (var (width, convolutions) in new[] { (64, 2), (128, 2), (256, 3), (512, 3), (512, 3) })
        {
            for (int i = 0; i < convolutions; i++)
            {
                model.Add(new Conv2d(channels, width, 3, padding: 1));
                model.Add(new ReLU());
                channels = width;
            }
            model.Add(new MaxPool2d(2));
        }
        model.Add(new Flatten());
        model.Add(new Linear(512 * 7 * 7, 4096));
        model.Add(new ReLU());
        model.Add(new Dropout(0.5f));
        model.Add(new Linear(4096, 4096));
        model.Add(new ReLU());
        model.Add(new Dropout(0.5f));
        model.Add(new Linear(4096, 1000));
        return model;
    }
}
