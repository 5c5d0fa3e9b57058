using System.Collections.Concurrent;
using System.Text;

namespace ScoutAudit.Core;

/// <summary>
/// Reuses the strings a log repeats on every line (event types, session ids, models) instead of
/// allocating each again: a small table keyed by the UTF-8 bytes, last one wins on a collision.
/// One per reader; not thread-safe.
/// </summary>
internal sealed class StringPool
{
    private const int Size = 2048; // a power of two; a few hundred distinct strings collide rarely
    private readonly (byte[] Utf8, string Text)?[] _entries = new (byte[], string)?[Size];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > 128) return Encoding.UTF8.GetString(utf8);
        var slot = (int)((uint)HashOf(utf8) & (Size - 1));
        if (_entries[slot] is { } entry && utf8.SequenceEqual(entry.Utf8)) return entry.Text;
        var text = Encoding.UTF8.GetString(utf8);
        _entries[slot] = (utf8.ToArray(), text);
        return text;
    }

    private static int HashOf(ReadOnlySpan<byte> utf8)
    {
        var hash = new HashCode();
        hash.AddBytes(utf8);
        return hash.ToHashCode();
    }
}

/// <summary>
/// The string pools of one read of a log, shared by all its segments and by the threads that parse
/// them: a thread takes a pool while it parses and gives it back, so each pool keeps what it learnt.
/// </summary>
internal sealed class StringPools
{
    private readonly ConcurrentBag<StringPool> _free = [];

    public StringPool Take() => _free.TryTake(out var pool) ? pool : new StringPool();

    public void Return(StringPool pool) => _free.Add(pool);
}
