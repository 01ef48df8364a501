using System.Collections.ObjectModel;
using System.Text.Json.Nodes;

namespace CourseKit.Notebooks;

/// <summary>
/// A list of typed items (cells, outputs, lines) kept in step with the JSON array they are stored in:
/// adding, removing, replacing or reordering items changes the array the same way.
/// </summary>
internal sealed class JsonBackedList<T>(JsonArray array, IEnumerable<T> items, Func<T, JsonNode?> toJson,
                                        Action<T>? added = null, Action<T>? removed = null)
    : Collection<T>(items.ToList())
{
    protected override void InsertItem(int index, T item)
    {
        added?.Invoke(item);
        array.Insert(index, toJson(item));
        base.InsertItem(index, item);
    }

    protected override void RemoveItem(int index)
    {
        array.RemoveAt(index);
        removed?.Invoke(this[index]);
        base.RemoveItem(index);
    }

    protected override void SetItem(int index, T item)
    {
        if (ReferenceEquals(this[index], item)) return;
        added?.Invoke(item);
        array.RemoveAt(index);
        array.Insert(index, toJson(item));
        removed?.Invoke(this[index]);
        base.SetItem(index, item);
    }

    protected override void ClearItems()
    {
        array.Clear();
        if (removed is not null) foreach (var item in this) removed(item);
        base.ClearItems();
    }
}
