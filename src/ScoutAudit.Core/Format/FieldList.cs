namespace ScoutAudit.Core;

/// <summary>
/// Named values in first-seen order, as Python's dict keeps a line's keys: setting a name again
/// replaces its value in place (first position, last value), removing it frees its position. Every
/// operation is constant time, so a line's fields cost linear work however many there are; a few
/// names are compared in a list, more through a dictionary built when the list grows past them.
/// </summary>
internal sealed class FieldList<T>
{
    private const int ScanLimit = 8; // below this, a scan is cheaper than hashing the name

    private readonly List<(string Name, T Value, bool Live)> _slots = [];
    private Dictionary<string, int>? _index;

    /// <summary>How many names hold a value.</summary>
    public int Count { get; private set; }

    /// <summary>Gives <paramref name="name"/> the value: in its place when it has one, else at the end.</summary>
    public void Set(string name, T value)
    {
        var at = IndexOf(name);
        if (at >= 0)
        {
            _slots[at] = (name, value, true);
            return;
        }
        _slots.Add((name, value, true));
        _index?.Add(name, _slots.Count - 1);
        if (_index is null && _slots.Count > ScanLimit) BuildIndex();
        Count++;
    }

    /// <summary>Takes <paramref name="name"/> out; a later <see cref="Set"/> of it goes to the end.</summary>
    public void Remove(string name)
    {
        var at = IndexOf(name);
        if (at < 0) return;
        _slots[at] = default;
        _index?.Remove(name);
        Count--;
    }

    /// <summary>Takes out every name that <paramref name="match"/> accepts.</summary>
    public void RemoveWhere(Func<string, bool> match)
    {
        for (var i = 0; i < _slots.Count; i++)
        {
            if (!_slots[i].Live || !match(_slots[i].Name)) continue;
            _index?.Remove(_slots[i].Name);
            _slots[i] = default;
            Count--;
        }
    }

    /// <summary>The live values in order.</summary>
    public List<TResult> ToList<TResult>(Func<string, T, TResult> select)
    {
        var list = new List<TResult>(Count);
        foreach (var (name, value, live) in _slots)
        {
            if (live) list.Add(select(name, value));
        }
        return list;
    }

    private int IndexOf(string name)
    {
        if (_index is not null) return _index.TryGetValue(name, out var at) ? at : -1;
        for (var i = 0; i < _slots.Count; i++)
        {
            if (_slots[i].Live && string.Equals(_slots[i].Name, name, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    private void BuildIndex()
    {
        _index = new Dictionary<string, int>(_slots.Count * 2, StringComparer.Ordinal);
        for (var i = 0; i < _slots.Count; i++)
        {
            if (_slots[i].Live) _index.Add(_slots[i].Name, i);
        }
    }
}
